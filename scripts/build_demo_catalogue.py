"""Write the demo catalogue as a UNIMARC ISO 2709 file (UTF-8, 995 items).

    .venv/bin/python scripts/build_demo_catalogue.py /tmp/demo-catalogue.mrc
    .venv/bin/python manage.py import_marc /tmp/demo-catalogue.mrc

The facts live in ``catalogue/demo_data/catalogue.py``; ``manage.py load_demo`` builds and
imports the same file through ``catalogue.demo``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalogue.demo_data.builder import build


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("demo-catalogue.mrc")
    count = build(target)
    print(f"{count} notices UNIMARC écrites dans {target}")


if __name__ == "__main__":
    main()
