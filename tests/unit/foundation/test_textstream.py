from codehone.backends.textstream import TextAssembler


def test_multibyte_characters_split_across_tokens_come_out_whole():
    a = TextAssembler()
    data = "héllo ✓".encode()
    out = "".join(a.feed(data[i:i + 1]) for i in range(len(data))) + a.finish()
    assert out == "héllo ✓" and "\ufffd" not in out


def test_stop_string_spanning_tokens_is_never_released():
    a = TextAssembler(stop=["\ndef "])
    released = [a.feed(p.encode()) for p in ["x = 1", "\nd", "ef", " g"]]
    assert "".join(released) + a.finish() == "x = 1"
    assert a.stopped and a.text == "x = 1"


def test_earliest_of_several_stops_wins():
    a = TextAssembler(stop=["B", "A"])
    assert a.feed(b"xxAyyB") == "xx"
    assert a.stopped
