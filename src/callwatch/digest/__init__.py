"""The e-mail digest: what each subscriber should get, the message, the ledger, the transport.

- :mod:`.content` decides what to say (a pure function of calls, clock, subscriber, ledger);
- :mod:`.compose` writes the e-mail (text + HTML, Babel dates);
- :mod:`.ledger` remembers what was sent (atomic JSON, a lock against overlapping runs);
- :mod:`.send` delivers it (SMTP, ``.eml`` files, stdout) and classifies failures;
- :mod:`.run` ties them together for ``callwatch digest``.

See docs/digest.md.
"""
