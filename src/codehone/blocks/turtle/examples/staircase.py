"""Draw a staircase that goes up to the right."""
import turtle

t = turtle.Turtle()
t.penup()
t.goto(-150, -100)
t.pendown()
for step in range(6):
    t.forward(40)
    t.left(90)
    t.forward(30)
    t.right(90)
turtle.done()
