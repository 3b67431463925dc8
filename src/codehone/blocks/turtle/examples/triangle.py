"""Draw a green triangle."""
from turtle import *

pencolor("green")
pensize(3)
for side in range(3):
    forward(120)
    left(120)
done()
