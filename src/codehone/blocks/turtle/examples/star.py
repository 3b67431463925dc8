"""Draw a big five-pointed star in gold."""
import turtle

star = turtle.Turtle()
star.color("gold")
star.penup()
star.goto(-75, 25)
star.pendown()
for point in range(5):
    star.forward(150)
    star.right(144)
star.hideturtle()
turtle.done()
