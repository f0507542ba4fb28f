"""The model path: settings, the ``openai`` + ``instructor`` client, prompts, tasks and the
``llm`` / ``hybrid`` backends.

Importing this package imports nothing heavy: ``openai`` and ``instructor`` load only with
:mod:`fiscal_extract.llm.client`, which the rules path never touches.
"""
