#!/usr/bin/env python3
"""Translations: extract, check and build the catalogues in i18n/ (README "Translations").

  python3 scripts/i18n.py update [LANG...]  every tr("...") literal of the shell and the worker, and the
                                            catalogue labels the shell shows, into i18n/terraembed_LANG.ts
                                            (all existing languages when none is named; a new LANG starts a
                                            new file). Translations kept; new texts "unfinished"; texts no
                                            longer in the code "vanished" (kept for reuse, not built).
  python3 scripts/i18n.py check             fails on a text missing from a .ts or left unfinished
  python3 scripts/i18n.py build [OUT_DIR]   each .ts -> .qm with Qt's lrelease (Debian: qttools5-dev-tools)
  python3 scripts/i18n.py worker            the worker's messages (errors, ctx.warn, ctx.log) not yet translatable
  python3 scripts/i18n.py scan              the shell's user-facing literals outside tr() (scripts/i18n_scan.py)
  python3 scripts/i18n.py wrap FILE...      wraps those of shell files, and the worker's messages, in tr() in place
                                            (then: ruff format FILE...)
  python3 scripts/i18n.py pending LANG      the unfinished texts of a catalogue as JSON {"English": ""}
  python3 scripts/i18n.py fill LANG FILE    sets the translations of a JSON file {"English": "translation"}

Standard library only: pylupdate5 is not packaged on every lane, and Qt 5's lupdate reads no Python.
"""

import ast
import glob
import os
import re
import shutil
import subprocess  # nosec B404
import sys
import xml.etree.ElementTree as ET  # nosec B405

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(REPO, "i18n")
CONTEXT = "TerraEmbed"  # shell/i18n.py's CONTEXT
SHELL = ("plugin.py", "algorithms/*.py", "ui/*.py", "shell/*.py")
# shared/: both sides (shared/jobs/: the jobs' contracts)
WORKER = ("engine/*.py", "engine/*/*.py", "engine/*/*/*.py", "models/*.py", "shared/*.py", "shared/*/*.py")
# shared/catalogue.py's labels the shell shows through tr(label) (their keys are values sent to the worker)
CATALOGUE_LABELS = (
    "SOURCES",
    "PREPARATIONS",
    "TILE_OVERLAP_HELP",
    "GRID_COMPRESSIONS",
    "COLLECTIONS",
    "MODALITY_NAMES",
    "VALIDATIONS",
    "CLASSIFIERS",
    "SIMILARITY_EXAMPLES",
    "FEATURE_VECTORS",
    "IF_NO_IMAGERY",
    "CHANGE_CLASSES",  # a tuple: the names are the labels (the class raster keeps them; reports and panel translate)
)
FORMAT_FIELD = re.compile(r"%(\(\w+\))?[-#0 +]*(\*|\d+)?(\.(\*|\d+))?[sdrfgeixXc%]")  # "%s", "%.*f", "%%"
TRANSLATE_CALLS = ("tr", "translate", "translatable")  # engine/i18n.translatable marks a constant
# the errors whose message reaches the user (shared/errors.py's UserError and its kinds, shared/periods.py's)
ERRORS = ("UserError", "OutputError", "NoImagery", "Replaced", "PeriodError", "InstallError", "Unsupported")


def files(patterns):
    return sorted({p for pattern in patterns for p in glob.glob(os.path.join(REPO, pattern))})


def call_name(func):
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def literal_texts(source):
    """(context, text) of each tr("text"[, context]) and translate("context", "text") with literals."""
    found = []
    for node in ast.walk(ast.parse(source)):
        note = [k.value for k in getattr(node, "keywords", []) if k.arg == "note" and isinstance(k.value, ast.Constant)]
        if isinstance(node, ast.Call) and call_name(node.func) == "Range" and note and note[0].value:
            found.append((node.lineno, CONTEXT, note[0].value))  # shared/limits.py: a range's note, tr(self.note)
        if not isinstance(node, ast.Call) or call_name(node.func) not in TRANSLATE_CALLS or not node.args:
            continue
        args = list(node.args) + [k.value for k in node.keywords if k.arg == "context"]
        if call_name(node.func) == "translate" and len(args) >= 2:
            args = [args[1], args[0]]
        texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args[:2]]
        if texts[0]:
            found.append((node.lineno, texts[1] if len(texts) > 1 and texts[1] else CONTEXT, texts[0]))
    return [(context, text) for _, context, text in sorted(found, key=lambda f: f[0])]


def catalogue_labels():
    namespace = {"__file__": os.path.join(REPO, "shared/catalogue.py")}
    with open(namespace["__file__"], encoding="utf-8") as f:
        exec(compile(f.read(), namespace["__file__"], "exec"), namespace)  # nosec B102
    found = [namespace[name] for name in CATALOGUE_LABELS]
    labels = [label for labels in found for label in (labels.values() if isinstance(labels, dict) else labels)]
    return labels + [model.description for model in namespace["MODELS"].values()]  # the panel's model facts


def extract():
    """{(context, text): [file, ...]} in the order met: every translatable text of the code."""
    texts = {}
    for path in files(SHELL + WORKER):
        rel = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            for key in literal_texts(f.read()):
                texts.setdefault(key, []).append(rel)
    for label in catalogue_labels():
        texts.setdefault((CONTEXT, label), []).append("shared/catalogue.py")
    return texts


def read_ts(path):
    """{(context, source): (translation, type)} of a .ts file."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):  # nosec B314
        name = context.findtext("name") or CONTEXT
        for message in context.iter("message"):
            translation = message.find("translation")
            text = translation.text if translation is not None else ""
            kind = translation.get("type", "") if translation is not None else "unfinished"
            found[(name, message.findtext("source") or "")] = (text or "", kind)
    return found


def _in_code(entry):
    """An entry whose text is in the code: a translation kept as "vanished" (the text had left the code)
    is a translation again."""
    text, kind = entry
    return (text, "") if kind == "vanished" and text else entry


def write_ts(path, language, texts, old):
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    entries = [(key, where, _in_code(old.get(key, ("", "unfinished")))) for key, where in texts.items()]
    entries += [(key, [], (text, "vanished")) for key, (text, _) in old.items() if key not in texts and text]
    contexts = {}
    for (context, source), where, (text, kind) in entries:
        if context not in contexts:
            contexts[context] = ET.SubElement(root, "context")
            ET.SubElement(contexts[context], "name").text = context
        message = ET.SubElement(contexts[context], "message")
        for rel in dict.fromkeys(where):
            ET.SubElement(message, "location", filename="../" + rel)
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        translation.text = text
        if kind in ("unfinished", "vanished") or not text:
            translation.set("type", "vanished" if kind == "vanished" else "unfinished")
    ET.indent(root)
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        f.write(ET.tostring(root, encoding="unicode") + "\n")


def ts_files():
    return sorted(glob.glob(os.path.join(I18N, "terraembed_*.ts")))


def language_of(path):
    return os.path.basename(path)[len("terraembed_") : -len(".ts")]


def update(languages):
    texts = extract()
    os.makedirs(I18N, exist_ok=True)
    paths = [os.path.join(I18N, "terraembed_%s.ts" % lang) for lang in languages] or ts_files()
    for path in paths:
        old = read_ts(path) if os.path.exists(path) else {}
        write_ts(path, language_of(path), texts, old)
        print("%s: %d texts, %d to translate" % (os.path.relpath(path, REPO), len(texts), len(problems(path, texts))))


def problems(path, texts=None):
    """What is wrong with one .ts: texts of the code missing from it, entries left unfinished, translations
    whose format fields (%s, %d, %.3f, %%) differ from their source's."""
    texts = extract() if texts is None else texts
    entries = read_ts(path)
    out = ["missing: %r" % (key[1],) for key in texts if key not in entries]
    out += ["unfinished: %r" % (key[1],) for key, (text, kind) in entries.items() if kind == "unfinished" or not text]
    out += [
        "format fields differ (the text is %%-formatted after translating): %r" % (key[1],)
        for key, (text, kind) in entries.items()
        if text and kind != "vanished" and FORMAT_FIELD.findall(text) != FORMAT_FIELD.findall(key[1])
    ]
    return out


def check():
    texts, failed = extract(), False
    for path in ts_files():
        found = problems(path, texts)
        failed = failed or bool(found)
        print("%s: %s" % (os.path.relpath(path, REPO), "%d problems" % len(found) if found else "complete"))
        for line in found:
            print("  " + line)
    return 1 if failed or not ts_files() else 0


def build(out_dir):
    candidates = ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease", "lrelease-qt6", "/usr/lib/qt6/bin/lrelease")
    lrelease = next((found for found in map(shutil.which, candidates) if found), None)
    if not lrelease:
        sys.exit("lrelease is missing: install Qt's translation tools (Debian: apt install qttools5-dev-tools)")
    os.makedirs(out_dir, exist_ok=True)
    for path in ts_files():
        qm = os.path.join(out_dir, os.path.basename(path)[:-3] + ".qm")
        subprocess.run([lrelease, "-silent", path, "-qm", qm], check=True)  # nosec B603
        print(os.path.relpath(qm, REPO))
    return 0


def worker_sites(tree):
    """(message node, kind) of each error of ERRORS and ctx.warn/ctx.log(...) call of a worker file."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        kind = call_name(node.func)
        if kind in ERRORS or (kind in ("warn", "log") and isinstance(node.func, ast.Attribute)):
            yield node.args[0], kind


def worker_messages():
    """Messages of the worker that are not translatable yet: (file, line, kind) of each error of ERRORS
    (UserError(...) ...) and ctx.warn/ctx.log(...) with a literal outside tr(...). A message a helper or a
    constant makes (UserError(problem)) is translated there."""
    left = []
    for path in files(WORKER):
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for message, kind in worker_sites(tree):
            if untranslated_literal(message):
                left.append((os.path.relpath(path, REPO), message.lineno, kind))
    return left


def untranslated_literal(node):
    """Whether a message expression holds a literal with a letter outside tr(...)."""
    if isinstance(node, ast.Call) and call_name(node.func) in TRANSLATE_CALLS:
        return False
    if isinstance(node, ast.Constant):  # words, once the format fields ("%.4f", " (%s)") are left out
        return isinstance(node.value, str) and any(c.isalpha() for c in FORMAT_FIELD.sub("", node.value))
    if isinstance(node, ast.Call):  # "...".format(x); a helper's arguments are not this message
        return untranslated_literal(node.func)
    if isinstance(node, (ast.Subscript, ast.Compare, ast.Dict)):
        return False
    return any(untranslated_literal(child) for child in ast.iter_child_nodes(node))


def load_scan():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_scan", os.path.join(REPO, "scripts", "i18n_scan.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shell_commands(command, args):
    """scan and wrap: the shell's literals outside tr() (wrap: the worker's messages too)."""
    scan = load_scan()
    if command == "scan":
        found = scan.findings()
        print("\n".join(found + ["%d user-facing literal(s) outside tr()" % len(found)]))
        return 1 if found else 0
    worker = set(files(WORKER))
    for path in args:
        count, by_hand = scan.wrap(path, sites=worker_sites if os.path.abspath(path) in worker else scan.site_texts)
        print("%s: %d wrapped%s" % (path, count, "; rewrite the f-strings of lines %s" % by_hand if by_hand else ""))
    return 0


def catalogue_commands(command, args):
    """pending and fill: a catalogue's unfinished texts out as JSON, translations in."""
    import json

    path = os.path.join(I18N, "terraembed_%s.ts" % args[0])
    texts, entries = extract(), read_ts(path)
    if command == "pending":
        todo = {k[1]: "" for k in texts if entries.get(k, ("", "unfinished"))[1] == "unfinished" or not entries[k][0]}
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        return 0
    with open(args[1], encoding="utf-8") as f:
        for source, text in json.load(f).items():
            keys = [k for k in texts if k[1] == source]  # a text in another context (tr("Run", "Report")) too
            todo = [k for k in keys if entries.get(k, ("", "unfinished"))[1] == "unfinished" or not entries[k][0]]
            for key in todo or [k for k in keys if k[0] == CONTEXT]:
                if text:
                    entries[key] = (text, "")
    write_ts(path, args[0], texts, entries)
    return check()


def main(argv):
    command, args = (argv[0], argv[1:]) if argv else ("check", [])
    if command == "update":
        return update(args) or 0
    if command == "check":
        return check()
    if command == "build":
        return build(args[0] if args else I18N)
    if command in ("scan", "wrap"):
        return shell_commands(command, args)
    if command in ("pending", "fill") and args:
        return catalogue_commands(command, args)
    if command == "worker":
        left = worker_messages()
        for rel, line, kind in left:
            print("%s:%d: %s" % (rel, line, kind))
        for kind in ERRORS + ("warn", "log"):
            print("%s: %d not translatable yet" % (kind, sum(1 for *_, k in left if k == kind)))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
