"""Run openapi-python-client with every ``type: number`` property typed ``decimal.Decimal``.

The generator types JSON numbers as ``float`` in Python code it builds itself (the property's
type string and imports), which no template can reach; money in an accounting client must not
be a float. Before the generator runs, its number property class is given ``Decimal`` as both
its Python and its JSON type (``to_dict()`` keeps the Decimal; the wire encoder writes every
digit), the ``from decimal import Decimal`` import, and defaults written as ``Decimal("...")``.
How values are parsed lives in ``spec/templates/property_templates/float_property.py.jinja``.

    python -m spec.decimal_numbers generate --path ... (the generator's own arguments)
"""

from __future__ import annotations

import sys
from typing import Any

DECIMAL_IMPORT = "from decimal import Decimal"


def install() -> None:
    """Make the generator's number properties Decimal (idempotent)."""
    from openapi_python_client.parser.errors import PropertyError
    from openapi_python_client.parser.properties.float import FloatProperty
    from openapi_python_client.parser.properties.protocol import Value
    from openapi_python_client.strings import PythonCode

    if FloatProperty._type_string == "Decimal":
        return
    generic_imports = FloatProperty.get_imports

    def get_imports(self: Any, *, prefix: str) -> set[str]:
        return {*generic_imports(self, prefix=prefix), DECIMAL_IMPORT}

    def convert_value(cls: Any, value: Any) -> Any:
        if isinstance(value, Value) or value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return PropertyError(f"Cannot convert {value!r} to a Decimal")
        # The spec's own text (a YAML float's repr is its shortest exact form).
        text = str(value)
        try:
            float(text)
        except ValueError:
            return PropertyError(f"Invalid number value: {value!r}")
        return Value(python_code=PythonCode(f'Decimal("{text}")'), raw_value=value)

    FloatProperty._type_string = "Decimal"
    FloatProperty._json_type_string = "Decimal"
    FloatProperty.get_imports = get_imports  # type: ignore[method-assign]
    FloatProperty.convert_value = classmethod(convert_value)  # type: ignore[method-assign, assignment]


def main() -> None:
    install()
    from openapi_python_client.cli import app

    sys.argv[0] = "openapi-python-client"
    app()


if __name__ == "__main__":
    main()
