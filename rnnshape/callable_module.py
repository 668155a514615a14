"""``rnnshape.lint(...)`` and ``rnnshape.check(...)``: API functions that share a subpackage's name.

``rnnshape.lint`` and ``rnnshape.check`` are subpackages, and Python sets a subpackage as
its parent's attribute whenever it is first imported, so a function of that name on the
package would be replaced at a moment nobody controls. Instead the subpackage module
itself is made callable: calling it calls the API function of the same name
(``api.lint``/``api.check``), and everything else about the module stays as it was.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class CallableModule(types.ModuleType):
    """A module whose call is ``rnnshape.api.<last part of its name>``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from . import api

        return getattr(api, self.__name__.rsplit(".", 1)[-1])(*args, **kwargs)


def make_callable(module_name: str) -> None:
    """Give the (already imported) module ``module_name`` the API function's call."""
    sys.modules[module_name].__class__ = CallableModule
