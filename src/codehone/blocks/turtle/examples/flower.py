"""Draw a flower made of twelve circles."""
import turtle

t = turtle.Turtle()
t.speed(0)
t.pencolor("hotpink")
for petal in range(12):
    t.circle(50)
    t.right(30)
turtle.done()
