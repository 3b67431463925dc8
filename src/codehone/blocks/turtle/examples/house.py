"""Draw a little house with a pointy roof."""
import turtle

t = turtle.Turtle()
t.penup()
t.goto(-50, -50)
t.pendown()
for wall in range(4):
    t.forward(100)
    t.left(90)
t.goto(-50, 50)
t.pencolor("red")
t.setheading(60)
t.forward(100)
t.right(120)
t.forward(100)
turtle.done()
