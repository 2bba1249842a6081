#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check OCSF events, one JSON object per line on stdin, against the schema
subset of tests/data/ocsf-1.3.0-subset.json: every required attribute of
the base event, of the event's class and of each object it holds; enums;
the type of every attribute (and none that the subset does not name,
outside `unmapped`); type_uid = class_uid * 100 +
activity_id; the category of the class; metadata.version.  Prints one line
per problem (line number, attribute, what is wrong) and the number of
events per class on stderr; exit 0 when every line passed, 1 otherwise."""
import json
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    types = schema["types"]
    objects = schema["objects"]
    problems = []
    counts = {}

    def bad(n, what):
        problems.append(f"line {n}: {what}")

    def check_type(n, path, key, value):
        want = types.get(key)
        if want is None:
            bad(n, f"{path}: not an attribute of the subset")
            return None
        if want == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                bad(n, f"{path}: not an integer")
        elif want == "string":
            if not isinstance(value, str):
                bad(n, f"{path}: not a string")
        elif not isinstance(value, dict):
            bad(n, f"{path}: not an object")
        elif want in objects:
            return want
        return None

    def check_object(n, path, kind, obj):
        spec = objects[kind]
        for attr in spec["required"]:
            if attr not in obj:
                bad(n, f"{path}.{attr}: required by {kind}, missing")
        for attr, allowed in spec.get("enums", {}).items():
            if attr in obj and obj[attr] not in allowed:
                bad(n, f"{path}.{attr}: {obj[attr]!r} not in the enum")
        for attr, value in obj.items():
            sub = check_type(n, f"{path}.{attr}", f"{kind}.{attr}", value)
            if sub is not None:
                check_object(n, f"{path}.{attr}", sub, value)

    for n, line in enumerate(sys.stdin, 1):
        try:
            ev = json.loads(line)
        except ValueError as e:
            bad(n, f"not JSON: {e}")
            continue
        if not isinstance(ev, dict):
            bad(n, "not a JSON object")
            continue
        for attr in schema["base_event"]["required"]:
            if attr not in ev:
                bad(n, f"{attr}: required by the base event, missing")
        for attr, allowed in schema["base_event"]["enums"].items():
            if attr in ev and ev[attr] not in allowed:
                bad(n, f"{attr}: {ev[attr]!r} not in the enum")
        cls = schema["classes"].get(str(ev.get("class_uid")))
        if cls is None:
            bad(n, f"class_uid {ev.get('class_uid')!r}: not a class of the subset")
            continue
        counts[cls["name"]] = counts.get(cls["name"], 0) + 1
        for attr in cls["required"]:
            if attr not in ev:
                bad(n, f"{attr}: required by {cls['name']}, missing")
        if ev.get("category_uid") != cls["category_uid"]:
            bad(n, f"category_uid {ev.get('category_uid')!r}: {cls['name']} is {cls['category_uid']}")
        if ev.get("activity_id") not in cls["activity_id"]:
            bad(n, f"activity_id {ev.get('activity_id')!r}: not an activity of {cls['name']}")
        if ev.get("activity_id") == 99 and not isinstance(ev.get("activity_name"), str):
            bad(n, "activity_id 99 (Other) without an activity_name")
        if isinstance(ev.get("activity_id"), int) and \
                ev.get("type_uid") != ev["class_uid"] * 100 + ev["activity_id"]:
            bad(n, f"type_uid {ev.get('type_uid')!r}: not class_uid * 100 + activity_id")
        if isinstance(ev.get("metadata"), dict) and \
                ev["metadata"].get("version") != schema["version"]:
            bad(n, f"metadata.version {ev['metadata'].get('version')!r}: not {schema['version']}")
        for attr, value in ev.items():
            sub = check_type(n, attr, attr, value)
            if sub is not None:
                check_object(n, attr, sub, value)
    for p in problems:
        print(p)
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
