"""Eligibility rules: a closed interpreter over data, three-valued and explained.

- :mod:`.checks`: the compiled criteria (frozen dataclasses) and three-valued logic;
- :mod:`.paths`: the path language over a project file;
- :mod:`.operators`: the comparison operators, one registry (kinds, parse, compare, words);
- :mod:`.compiler`: ``[[calls.criteria]]`` tables → criteria, with located errors;
- :mod:`.standard`: the standard conditions a type of action brings (Horizon Europe);
- :mod:`.engine`: evaluation, questions, the verdict, and its typed shared memo;
- :mod:`.consortium`: partners that must hold together, three-valued;
- :mod:`.wording`: how findings read (found, required, questions);
- :mod:`.phrases`: the engine's words in English and French.

The format is documented in docs/rules.md. Nothing here imports typer. This
package imports nothing itself: unpickling a call's criteria loads only
:mod:`.checks`, never pydantic.
"""
