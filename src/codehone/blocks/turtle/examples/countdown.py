"""Count down from 5, saying each number and drawing a step, then say Go!"""
import turtle

n = 5
while n > 0:
    print(n)
    turtle.forward(20)
    n -= 1
print("Go!")
turtle.done()
