"""Draw a square spiral that gets bigger and bigger."""
import turtle

length = 5
for i in range(36):
    turtle.forward(length)
    turtle.right(90)
    length = length + 5
turtle.done()
