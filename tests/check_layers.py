#!/usr/bin/env python3
# The layers of the source tree, checked from the #include lines: model/ (the core) includes neither ui/ nor
# app/ nor any Qt header; ui/ includes neither app/ nor torch (directly, or through a model/ header marked
# "(torch)" in its first line); and the folders of ui/ include one another without a cycle. Prints every
# breach (a cycle as "a -> b -> a" with the lines that make it) and exits 1 when there is one.
# Usage: check_layers.py [SOURCE_DIR]   (the repository root; default: this file's parent's parent)
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCES = ('.cpp', '.h')
TORCH = re.compile(r'^(torch|ATen|c10|caffe2)/')
QT = re.compile(r'^Q[A-Za-z0-9_]*(/|$)|^Qt[A-Za-z0-9_]*/')


def sources(root, top):
    for folder, _dirs, files in os.walk(os.path.join(root, top)):
        for name in sorted(files):
            if name.endswith(SOURCES):
                yield os.path.relpath(os.path.join(folder, name), root)


def includes(root, path):
    out = []
    with open(os.path.join(root, path), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                out.append((m.group(1) == '"', m.group(2), number))
    return out


def marked_torch(root, path):
    try:
        with open(os.path.join(root, path), encoding='utf-8') as f:
            return '(torch)' in f.readline()
    except OSError:
        return False


def ui_folder(path):
    # "ui/charts/chartbase.h" -> "ui/charts"; a file directly in ui/ is its own folder "ui".
    parts = path.split('/')
    return '/'.join(parts[:2]) if len(parts) > 2 else parts[0]


def find_cycle(graph):
    # Depth-first search; returns one cycle as a list of nodes (first == last), or None.
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
    problems = []
    files = {top: list(sources(root, top)) for top in ('model', 'ui', 'app')}
    if not files['model'] or not files['ui']:
        print(f'check_layers: no sources under {root}/model or {root}/ui')
        return 1

    for path in files['model']:
        for quoted, name, line in includes(root, path):
            if quoted and name.startswith(('ui/', 'app/')):
                problems.append(f'{path}:{line}: the core includes {name}')
            elif not quoted and QT.match(name):
                problems.append(f'{path}:{line}: the core includes the Qt header <{name}>')

    # ui/: no app/, no torch, directly or through the project headers it includes.
    torch_cache = {}

    def reaches_torch(path, seen):
        if path in torch_cache:
            return torch_cache[path]
        if path in seen or not os.path.isfile(os.path.join(root, path)):
            return None
        seen.add(path)
        result = None
        if path.startswith('model/') and marked_torch(root, path):
            result = path
        else:
            for quoted, name, _line in includes(root, path):
                if not quoted and TORCH.match(name):
                    result = f'<{name}>'
                elif quoted and name.startswith('model/'):
                    via = reaches_torch(name, seen)
                    if via:
                        result = f'{name} -> {via}' if via != name else name
                if result:
                    break
        torch_cache[path] = result
        return result

    edges = {}  # (from folder, to folder) -> first include line that makes the edge
    for path in files['ui']:
        for quoted, name, line in includes(root, path):
            if quoted and name.startswith('app/'):
                problems.append(f'{path}:{line}: ui/ includes {name}')
            elif not quoted and TORCH.match(name):
                problems.append(f'{path}:{line}: ui/ includes the torch header <{name}>')
            elif quoted and name.startswith('model/'):
                via = reaches_torch(name, set())
                if via:
                    problems.append(f'{path}:{line}: ui/ includes {name}, which brings in torch ({via})')
            elif quoted and name.startswith('ui/'):
                if not os.path.isfile(os.path.join(root, name)):
                    problems.append(f'{path}:{line}: {name} does not exist')
                    continue
                a, b = ui_folder(path), ui_folder(name)
                if a != b:
                    edges.setdefault((a, b), f'{path}:{line}: #include "{name}"')

    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    cycle = find_cycle(graph)
    if cycle:
        problems.append('the folders of ui/ include one another in a cycle: ' + ' -> '.join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            problems.append(f'  {a} -> {b}: {edges[(a, b)]}')

    for p in problems:
        print(p)
    if problems:
        return 1
    layers = sorted({f for edge in edges for f in edge} | {ui_folder(p) for p in files['ui']})
    print(f'check_layers: model/ {len(files["model"])} files, ui/ {len(files["ui"])} files in {len(layers)} folders, '
          f'app/ {len(files["app"])} files: no breach')
    for folder in layers:
        print(f'  {folder} -> {", ".join(sorted(graph.get(folder, ()))) or "(the core only)"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
