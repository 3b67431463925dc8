"""Draw six squares in rainbow colours, turning a bit after each one."""
import turtle

t = turtle.Turtle()


def square(pen, size):
    for side in range(4):
        pen.forward(size)
        pen.left(90)


for color in ["red", "orange", "yellow", "green", "blue", "purple"]:
    t.pencolor(color)
    square(t, 80)
    t.right(60)
turtle.done()
