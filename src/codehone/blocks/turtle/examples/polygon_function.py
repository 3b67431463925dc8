"""Make a block that draws a shape with any number of sides, and use it to draw a hexagon."""
import turtle


def polygon(sides, length):
    for _ in range(sides):
        turtle.forward(length)
        turtle.left(360 / sides)


polygon(6, 60)
turtle.done()
