"""Verb endings of each language, folded (no accents), matched after a verb's stem."""

from __future__ import annotations

# Verb endings (after a stem), folded: regular -ar verbs with an attached pronoun or two
# (es "mátalo", "cortarme", "dispárale"; pt "matá-lo" is two words after folding).
ES_AR = (r"(?:ar|a|as|an|o|e|es|en|emos|amos|ais|ando|ado|ada|ados|adas|aba|abas|aban|aste|aron|ara|aras|aran|"
         r"aremos|aria|arian|are|ad)(?:me|te|se|lo|la|le|nos|los|las|les)?(?:lo|la|los|las)?")
FR_ER = r"(?:er|e|es|ent|ez|ons|ai|a|ais|ait|aient|erai|era|eras|eront|erait|ant|ee|ees|is|it)"
PT_AR = (r"(?:ar|a|as|am|o|e|es|em|amos|ando|ado|ada|ados|adas|ava|avam|ou|aram|ei|aste|asse|arem|ara|aria|"
         r"ariam|arei|aremos)"
         r"(?:me|te|se|lo|la|los|las)?")
DE = r"(?:en|e|t|st|et|est|te|ten|n)?"
