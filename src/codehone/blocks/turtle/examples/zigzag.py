"""Draw a zigzag line across the screen, up and down."""
import turtle

t = turtle.Turtle()
t.penup()
t.goto(-200, 0)
t.pendown()
for i in range(8):
    if i % 2 == 0:
        t.setheading(45)
    else:
        t.setheading(-45)
    t.forward(70)
turtle.done()
