"""Draw a tree whose branches split into smaller and smaller branches."""
import turtle


def branch(size):
    if size < 12:
        return
    turtle.forward(size)
    turtle.left(30)
    branch(size * 0.7)
    turtle.right(60)
    branch(size * 0.7)
    turtle.left(30)
    turtle.backward(size)


turtle.pencolor("brown")
turtle.penup()
turtle.goto(0, -120)
turtle.pendown()
turtle.left(90)
branch(60)
turtle.done()
