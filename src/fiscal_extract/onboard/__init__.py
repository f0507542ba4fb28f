"""Onboarding: a few sample documents of an unknown format -> a profile of catalog aliases.

In: sample paths and a model client.  Out: an :class:`~.run.OnboardResult` and a TOML profile
(more catalog data, merged on top of the defaults).  The model proposes names for the tables and
columns the rules cannot name; the rules read the samples again under those names through the
pipeline, and only what makes the samples' checks pass is kept.

May import the pipeline, the model path and everything below; never ``batch``, ``report`` or ``cli``.
"""
