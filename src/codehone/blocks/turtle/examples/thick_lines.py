"""Draw seven lines, each one thicker than the last."""
import turtle

t = turtle.Turtle()
t.pencolor("navy")
for i in range(1, 8):
    t.penup()
    t.goto(-100, i * 20 - 80)
    t.pendown()
    t.pensize(i)
    t.forward(200)
turtle.done()
