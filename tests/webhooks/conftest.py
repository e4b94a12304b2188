from ..api.conftest import api, fresh_throttles  # noqa: F401
