"""Replace secrets and personal data with placeholders before anything is written.

Detection is detect-secrets' own plugins, used in memory (no baseline files, no temp files),
plus regexes for e-mail and IP addresses as in the BigCode PII pipeline. Placeholders follow
StarCoder's: ``<KEY>``, ``<PASSWORD>``, ``<EMAIL>``, ``<IP_ADDRESS>``. Only counts per kind leave
this module: a found value is never logged, returned or written.

Why not ``detect_secrets.core.scan.scan_line``: it costs ~0.3 ms a line (1M lines in a large
repo is minutes), runs eager entropy search that flags ordinary words, and its reported
``secret_value`` is sometimes a fragment (GitHub tokens report just ``ghp``, JWTs lose their
signature), so replacing that value would leave the rest of the secret behind. Instead:

- regex plugins (AWS, GitHub, Slack, Stripe, JWT, basic auth in URLs, ...): their ``denylist``
  patterns run over the whole file; the redacted span is the secret-bearing group when the
  pattern has leading context (``://user:(password)@``), else the whole match, extended over
  the token alphabet so a partially matched token goes entirely;
- line plugins (KeywordDetector, Base64/Hex high-entropy strings, BigCode's limits 4.5/3.0):
  run only on lines a cheap pre-filter marks (a keyword, or a long quoted token), with the
  BigCode false-positive filters (UUIDs, id strings, templates, sequences) and its hash check;
- private key blocks: the whole BEGIN ... END block, not just the header line.

Overlapping detections merge into one placeholder, counted once under the strongest kind.

What counts as a secret (issue 16, defect 10):

- an e-mail address needs a real domain: a top-level label that is a file extension
  (``docset-icon@2x.png``, ``logo@2x.svg``, ``pkg@latest.json``) makes it a file name. A few
  extensions are also country domains (``.py``, ``.sh``, ``.rs``, ``.md``); in source trees they
  are file names far more often;
- a value found only because of the name beside it (KeywordDetector: ``password = "..."``,
  ``'password': '...'``) is a credential when it has at least 8 characters, the shortest
  password NIST SP 800-63B accepts. Shorter ones (``'s33kred'``, ``"admin"``, ``"test"``) are
  the example and test values of doctests, fixtures and docs; a value that matches a known
  format (AWS, GitHub, URL credentials ...) or is long and random counts at any length;
- a literal is redacted everywhere in the file or nowhere: once a value is a secret on one line,
  its other occurrences (as a whole token: ``User("jane", "<PASSWORD>")``) go too, so no copy of
  it two lines away survives.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

PLACEHOLDERS = {"password": "<PASSWORD>", "email": "<EMAIL>", "ip_address": "<IP_ADDRESS>"}
_PASSWORD_KINDS = {"secret_keyword", "basic_auth_credentials", "basic_auth_header"}
_LINE_PLUGINS = {"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"}
_SKIP_PLUGINS = {"IPPublicDetector"}  # IPs are handled below, private ranges included
_ENTROPY_LIMITS = {"Base64HighEntropyString": 4.5, "HexHighEntropyString": 3.0}

_PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK|)-----.*?(?:-----END \1PRIVATE KEY\2-----|\Z)", re.S
)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
# Gates run on the lower-cased text: a case-insensitive alternation costs 20x a plain one in
# Python's re. Every KeywordDetector keyword (api_key, db_pass, passwd, ...) contains one of these.
_KEYWORDS = re.compile(r"key|pass|pwd|secret|contrase")
_CREDENTIAL_WORDS = re.compile(r"key|pw|pass|token|secret")
_EMAIL_GATE = re.compile(r"@")
# Top-level labels that are file extensions, not domains (see the module doc).
_FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp ico bmp tif tiff avif heic psd eps pdf css scss sass less js mjs cjs ts tsx jsx "
    "map json jsonl yaml yml toml ini cfg conf xml html htm xhtml md rst txt csv tsv log lock py pyc pyi ipynb "
    "rb go rs java kt kts scala c h cc cpp hpp cs php pl sh bash zsh ps1 bat swift dart lua sql vue svelte "
    "woff woff2 ttf otf eot mp3 mp4 wav ogg webm mov avi zip gz tgz bz2 xz tar jar whl egg so dll exe bin wasm "
    "gguf pt pth safetensors onnx".split())
_MIN_KEYWORD_SECRET = 8  # characters; NIST SP 800-63B's shortest password (module doc)
_IPV4_GATE = re.compile(r"\d\.\d{1,3}\.\d")
_IPV6_GATE = re.compile(r"[0-9A-Fa-f]:[0-9A-Fa-f]*:")
# HTTP basic auth written out as a header value: "Authorization: Basic dXNlcjpwYXNz".
_BASIC_HEADER = re.compile(r"\bBasic ([A-Za-z0-9+/]{8,}={0,2})")
_LONG_QUOTED = re.compile(r"""['"][a-z0-9+/=_-]{20}""")  # on lower-cased text
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-+/=]*")
_JWT_CHARS = re.compile(r"[A-Za-z0-9_\-+/=.]*")
_DELIMS = " \t=:\"'[]"
_HASH_WORDS = ("sha", "md5", "hash", "digest", "checksum", "byte", "crc")
_PRIORITY = {"private_key": 0, "email": 3, "ip_address": 4}  # others: 1 (regex), 2 (line plugins)


def _kind(secret_type: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", secret_type.lower()).strip("_")


def placeholder(kind: str) -> str:
    if kind in _PASSWORD_KINDS:
        return "<PASSWORD>"
    return PLACEHOLDERS.get(kind, "<KEY>")


@dataclass
class _Plugins:
    regex: list[tuple[str, list[tuple[re.Pattern, re.Pattern | None, str | None]]]]  # kind, [(pattern, gate, literal)]
    line: list  # plugin instances analysed line by line


@lru_cache(maxsize=1)
def _plugins() -> _Plugins:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    regex, line = [], []
    for secret_type, cls in sorted(get_mapping_from_secret_type_to_class().items()):
        name = cls.__name__
        if name in _SKIP_PLUGINS:
            continue
        if name in _LINE_PLUGINS:
            line.append(cls(limit=_ENTROPY_LIMITS[name]) if name in _ENTROPY_LIMITS else cls())
        elif issubclass(cls, RegexBasedDetector):
            pats = [(re.compile(p.pattern, p.flags | re.M), _gate_for(p.pattern), _required_literal(p))
                    for p in cls().denylist]
            regex.append((_kind(secret_type), pats))
    return _Plugins(regex=regex, line=line)


def _gate_for(pattern: str) -> re.Pattern | None:
    # The credential-assignment patterns (Cloudant, IBM, SoftLayer) start with lookbehinds and
    # optional groups that the regex engine retries at every character: 10x the cost of all the
    # others together. Each *requires* a key/password/token/secret word, so they only need to
    # run on lines that hold one.
    if "(?:key|pwd" in pattern or "(?:secret[-_]?" in pattern:
        return _CREDENTIAL_WORDS
    return None


def _required_literal(pattern: re.Pattern) -> str | None:
    """The longest run of literal characters every match must contain (lower-cased), or None.

    ``x in text`` runs at memory speed while a regex scan of a file costs ~100x more, and most
    files contain no "xox", "sk_live_" or ".cloudant.com" at all, so checking for the literal
    first skips most scans. Only top-level and plain-group items are mandatory; branches and
    optional repeats end a run, so the literal is a true necessity (sound, like the gates)."""
    import re._parser as sre

    runs, cur = [], []

    def walk(items) -> None:
        for op, arg in items:
            if op is sre.LITERAL:
                cur.append(chr(arg))
            elif op is sre.SUBPATTERN and not arg[1] and not arg[2]:
                walk(arg[3])
            else:
                runs.append("".join(cur))
                cur.clear()

    try:
        walk(sre.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unparsable pattern simply gets no shortcut
        return None
    runs.append("".join(cur))
    best = max(runs, key=len)
    return best.lower() if len(best) >= 3 else None


def _filtered_strong(secret: str, line: str) -> bool:
    """Filters for the fixed-format detectors (AWS, GitHub ...): a format match is strong
    evidence, so only the sequence/UUID/hash heuristics apply (an "id" in the variable name,
    as in ``aws_access_key_id``, must not excuse a key)."""
    from detect_secrets.filters import heuristic as h

    if h.is_potential_uuid(secret) or h.is_sequential_string(secret):
        return True
    lowered = line.lower()
    return len(secret) in (32, 40, 64, 128) and secret.isalnum() and any(w in lowered for w in _HASH_WORDS)


def _filtered(secret: str, line: str) -> bool:
    """BigCode's false-positive filters (detect-secrets heuristics) plus its hash check."""
    from detect_secrets.filters import heuristic as h

    if h.is_potential_uuid(secret) or h.is_templated_secret(secret) or h.is_sequential_string(secret):
        return True
    if h.is_likely_id_string(secret, line):
        return True
    lowered = line.lower()
    return len(secret) in (32, 40, 64, 128) and any(w in lowered for w in _HASH_WORDS)


def _looks_random(secret: str) -> bool:
    # Entropy plugins alone flag long identifiers ("abcdefghijklmnopqrstuvwxyz"); a key mixes
    # letters and digits. (BigCode used a gibberish model here; this is the cheap stand-in.)
    return len(secret) >= 20 and any(c.isdigit() for c in secret) and any(c.isalpha() for c in secret)


def _line_at(text: str, start: int, end: int) -> str:
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : stop if stop >= 0 else len(text)]


def _lowered(text: str, cache: dict) -> str:
    if "" not in cache:
        lowered = text.lower()
        # lower() never shortens a character; equal length means offsets still line up.
        cache[""] = lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)
    return cache[""]


def _gated_lines(text: str, gate: re.Pattern, cache: dict) -> list[tuple[int, str]]:
    """(offset, line) for each line holding a match of ``gate`` in the lower-cased text:
    expensive patterns then run on those lines only. A gate is sound when every match of the
    pattern it guards contains a match of the gate on the same line, so it changes speed,
    never results."""
    if gate.pattern in cache:
        return cache[gate.pattern]
    out = []
    last = -1
    for m in gate.finditer(_lowered(text, cache)):
        if m.start() < last:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        stop = text.find("\n", m.end())
        stop = stop if stop >= 0 else len(text)
        out.append((start, text[start:stop]))
        last = stop
    cache[gate.pattern] = out
    return out


def _finditer(pattern: re.Pattern, text: str, gate: re.Pattern | None, cache: dict):
    """Matches of ``pattern`` as (start, end, match), searching only gated lines when gated."""
    if gate is None:
        for m in pattern.finditer(text):
            yield m.start(), m.end(), m, 0
        return
    for offset, line in _gated_lines(text, gate, cache):
        for m in pattern.finditer(line):
            yield offset + m.start(), offset + m.end(), m, offset


def _regex_spans(text: str, plugins: _Plugins, cache: dict) -> list[tuple[int, int, str]]:
    spans = []
    for kind, patterns in plugins.regex:
        for pat, gate, literal in patterns:
            if literal and literal not in _lowered(text, cache):
                continue
            for start, end, m, offset in _finditer(pat, text, gate, cache):
                groups = [i for i in range(1, (pat.groups or 0) + 1) if m.group(i)]
                if groups and m.start(groups[-1]) > m.start():
                    start, end = offset + m.start(groups[-1]), offset + m.end(groups[-1])  # context precedes the secret
                else:
                    while start < end and text[start] in _DELIMS:
                        start += 1
                    while end > start and text[end - 1] in _DELIMS:
                        end -= 1
                    end = (_JWT_CHARS if kind == "json_web_token" else _TOKEN_CHARS).match(text, end).end()
                if end - start < 4:
                    continue
                value = text[start:end]
                if kind != "private_key" and _filtered_strong(value, _line_at(text, start, end)):
                    continue
                spans.append((start, end, kind))
    return spans


def _line_spans(text: str, path: str, plugins: _Plugins, cache: dict) -> list[tuple[int, int, str]]:
    spans = []
    lines = dict(_gated_lines(text, _KEYWORDS, cache))
    lines.update(_gated_lines(text, _LONG_QUOTED, cache))
    for offset, line in sorted(lines.items()):
        for plugin in plugins.line:
            name = type(plugin).__name__
            for found in plugin.analyze_line(filename=path, line=line, line_number=0):
                value = found.secret_value or ""
                if len(value) < 4 or _filtered(value, line):
                    continue
                if name in _ENTROPY_LIMITS and not _looks_random(value):
                    continue
                if name == "HexHighEntropyString" and not _CREDENTIAL_WORDS.search(line.lower()):
                    continue  # bare hex is a digest, a colour table, test data far more often than a key
                if name == "KeywordDetector" and len(value) < _MIN_KEYWORD_SECRET:
                    continue  # an example or test value, not a credential (module doc)
                kind = _kind(found.type)
                for m in re.finditer(r"(?<![\w])" + re.escape(value) + r"(?![\w])", line):
                    spans.append((offset + m.start(), offset + m.end(), kind))
    return spans


def _email_spans(text: str, cache: dict) -> list[tuple[int, int, str]]:
    spans = []
    for start, end, m, _ in _finditer(_EMAIL, text, _EMAIL_GATE, cache):
        if m.group().rsplit(".", 1)[1].lower() not in _FILE_EXTENSIONS:  # name@2x.png is a file name
            spans.append((start, end, "email"))
    return spans


def _same_literal_spans(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Every other whole-token occurrence of a value already found as a secret, so a literal is
    redacted everywhere or nowhere. E-mails and IPs are found by their format wherever they are
    (an IP after "version" is deliberately kept) and private keys are whole blocks: not repeated."""
    values = {text[s:e]: kind for s, e, kind in spans if kind not in _PRIORITY and e - s >= _MIN_KEYWORD_SECRET}
    out = []
    for value, kind in values.items():
        for m in re.finditer(r"(?<![\w])" + re.escape(value) + r"(?![\w])", text):
            out.append((m.start(), m.end(), kind))
    return out


def _ip_spans(text: str, cache: dict) -> list[tuple[int, int, str]]:
    spans = []
    for pattern, gate in ((_IPV4, _IPV4_GATE), (_IPV6, _IPV6_GATE)):
        for start, end, m, _ in _finditer(pattern, text, gate, cache):
            value = m.group()
            try:
                ip = ipaddress.ip_address(value)
            except ValueError:
                continue
            if ip.version == 6 and (sum(c.isdigit() for c in value) == 0 or value.count(":") < 3):
                continue  # C++/Rust paths like a::b, and bare "::"
            if ip.is_loopback or ip.is_unspecified or ip.is_multicast or str(ip).startswith("255."):
                continue
            before = text[text.rfind("\n", 0, start) + 1 : start].lower()
            if "version" in before or before.endswith("v"):
                continue  # 1.2.3.4 is a version string there, not a host
            spans.append((start, end, "ip_address"))
    return spans


def redact(text: str, path: str = "file.txt") -> tuple[str, Counter]:
    """``text`` with every detected secret replaced by a placeholder, and counts by kind."""
    plugins = _plugins()
    spans = [(m.start(), m.end(), "private_key") for m in _PRIVATE_KEY_BLOCK.finditer(text)]
    cache: dict = {}
    spans += _regex_spans(text, plugins, cache)
    spans += _line_spans(text, path, plugins, cache)
    spans += _email_spans(text, cache)
    if "basic " in _lowered(text, cache):
        spans += [(m.start(1), m.end(1), "basic_auth_header") for m in _BASIC_HEADER.finditer(text)
                  if re.search(r"[0-9+/=]|.[A-Z]", m.group(1))]  # not "Basic authentication"
    spans += _same_literal_spans(text, spans)
    spans += _ip_spans(text, cache)
    counts: Counter = Counter()
    if not spans:
        return text, counts
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[list] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if _PRIORITY.get(kind, 1) < _PRIORITY.get(last[2], 1):
                last[2] = kind
        else:
            merged.append([start, end, kind])
    out = []
    pos = 0
    for start, end, kind in merged:
        out.append(text[pos:start])
        out.append(placeholder(kind))
        counts[kind] += 1
        pos = end
    out.append(text[pos:])
    return "".join(out), counts
