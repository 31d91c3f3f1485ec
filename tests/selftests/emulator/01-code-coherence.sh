#!/bin/sh
# The machine must execute code that was just rewritten with MVC, XC and MVCL, as the
# module loader rewrites module text (code_coherence.c). Every boot runs this first;
# the runner stops the boot when it fails, since nothing after a module reload would
# be evidence.
exec /bin/code-coherence
