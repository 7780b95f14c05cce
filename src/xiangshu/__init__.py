"""湘数 Xiangshu — a provincial government data platform.

Layers, from the outside in: ``web`` and ``cli`` (adapters) → ``bootstrap``
(the composition root) → ``actions`` (use cases, each with a same-named
policy) → ``storage`` and ``policies`` → ``domain`` (pure rules).
"""

__version__ = "0.1.0"
