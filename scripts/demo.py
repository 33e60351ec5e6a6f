"""Load the demo centre's facilitators and venues into Firestore (idempotent: same ids, overwritten)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from shared.config import get_settings

DEMO_FILE = Path(__file__).resolve().parent.parent / "config" / "centres" / "link-bergen.demo.toml"


def load(path: Path = DEMO_FILE, store: Any = None) -> dict[str, int]:
    """Into `store` (tests give a database of their own), or the configured project's."""
    from shared.adapters.firestore_store import FirestoreStore

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    store = store or FirestoreStore(get_settings().google_cloud_project)
    counts: dict[str, int] = {}
    for collection in ("facilitators", "venues"):
        for item in data.get(collection, []):
            doc = dict(item)
            store.set(f"{collection}/{doc.pop('id')}", doc)
        counts[collection] = len(data.get(collection, []))
    return counts
