# `rnnshape.check(...)` calls the API function of this name (see callable_module.py).
from ..callable_module import make_callable  # noqa: E402

make_callable(__name__)
