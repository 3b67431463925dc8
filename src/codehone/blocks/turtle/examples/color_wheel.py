"""Draw a wheel of red, green and blue lines going out from the middle."""
import turtle

turtle.colormode(255)
t = turtle.Turtle()
for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]:
    t.pencolor(c)
    t.forward(100)
    t.backward(100)
    t.right(60)
turtle.done()
