"""Onboarding: a few sample documents of an unknown format -> a profile of catalog aliases.

In: sample paths (and, optionally, a model client).  Out: an :class:`~.engine.Onboarding`, a
coverage report (:mod:`.coverage`) and a TOML profile (more catalog data, merged on top of the
defaults).  Candidate namings for the titles and columns the catalog does not know come from fuzzy
matching against the catalog (:mod:`.candidates`) and, with a model, from the model; the rules read
the samples again under each (:mod:`.judge`), and the naming whose identities hold best is kept.

May import the pipeline, the model path and everything below; never ``batch``, ``report`` or ``cli``.
"""
