import math

from codehone.train.schedule import lr_factor, warmup_for


def test_warmup_then_cosine_to_the_floor():
    total, warm, floor = 100, 10, 0.1
    f = [lr_factor(s, total, warm, floor) for s in range(total)]
    assert f[0] == 0.1 and f[9] == 1.0  # linear warmup reaches the peak at the last warmup step
    assert all(a >= b for a, b in zip(f[10:], f[11:]))  # then only decays
    assert math.isclose(f[10], 1.0) and f[-1] > floor and math.isclose(lr_factor(total, total, warm, floor), floor)
    assert math.isclose(lr_factor(55, total, warm, floor), floor + (1 - floor) * 0.5)  # half way


def test_warmup_ratio_or_steps():
    assert warmup_for(200, -1, 0.05) == 10
    assert warmup_for(200, 3, 0.05) == 3
