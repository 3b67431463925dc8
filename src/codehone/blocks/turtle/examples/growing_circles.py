"""Draw five circles that get bigger, all touching at the bottom."""
import turtle

for radius in [10, 20, 30, 40, 50]:
    turtle.circle(radius)
turtle.done()
