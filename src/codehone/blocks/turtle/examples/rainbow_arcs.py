"""Draw a rainbow out of half circles, one inside the other."""
import turtle

t = turtle.Turtle()
t.pensize(4)
for radius in [100, 85, 70, 55]:
    t.penup()
    t.goto(radius, -50)
    t.setheading(90)
    t.pendown()
    t.circle(radius, 180)
turtle.done()
