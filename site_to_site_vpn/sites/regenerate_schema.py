"""Write ``sites.schema.json`` from the model.

Run ``python -m site_to_site_vpn.sites.regenerate_schema`` after changing the model;
tests/sites/test_schema.py fails while the committed file differs from what this writes.
"""

from pathlib import Path

from site_to_site_vpn.sites.document import schema_text
from site_to_site_vpn.sites.loader import SCHEMA_FILE

if __name__ == "__main__":
    Path(__file__).with_name(SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
