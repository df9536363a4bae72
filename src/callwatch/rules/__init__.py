"""Eligibility rules: a closed interpreter over data, three-valued and explained.

- :mod:`.checks`: the compiled criteria (frozen dataclasses) and three-valued logic;
- :mod:`.paths`: the path language over a project file;
- :mod:`.compiler`: ``[[calls.criteria]]`` tables → criteria, with located errors;
- :mod:`.engine`: evaluation, explanations, questions, the verdict;
- :mod:`.phrases`: the engine's words in English and French.

The format is documented in docs/rules.md. Nothing here imports typer. This
package imports nothing itself: unpickling a call's criteria loads only
:mod:`.checks`, never pydantic.
"""
