"""Draw an orange sun with twelve rays around it."""
import turtle

t = turtle.Turtle()
t.pencolor("orange")
t.pensize(2)
t.penup()
t.goto(0, -40)
t.pendown()
t.circle(40)
for ray in range(12):
    t.penup()
    t.goto(0, 0)
    t.setheading(ray * 30)
    t.forward(55)
    t.pendown()
    t.forward(35)
turtle.done()
