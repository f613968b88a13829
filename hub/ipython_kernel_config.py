# IPython kernel configuration for a JupyterHub image that runs the course as the students pulled it.
#
# hub/install.py copies this file to {sys.prefix}/etc/ipython/ipython_kernel_config.py, which IPython
# reads for every kernel of that Python. The image installs the course's dependencies but not the
# course: at start, each kernel looks upwards from its working directory (the notebook's folder) for
# the nearest folder that holds course/__init__.py and data/excerpts.csv (the student's pulled copy,
# e.g. ~/samskabelse) and puts it first on sys.path. So `import course` in a notebook loads the code,
# the data and the version of that pulled folder, after every pull, with no install step per student.
#
# Also:
# * if `import course` fails, the error says what to do (in Danish and English: the course's
#   language setting lives in the package that could not be loaded);
# * a kernel that imported the course and then sees the pulled folder change (a new pull while the
#   kernel runs) says once that the kernel must be restarted to use the update.
c = get_config()  # noqa: F821 (provided by IPython when it loads this file)

_SETUP = r'''
def _samskabelse_setup():
    import os
    import sys
    from pathlib import Path

    def find_root(start):
        for folder in (start, *start.parents):
            if (folder / "course" / "__init__.py").is_file() and (folder / "data" / "excerpts.csv").is_file():
                return folder
        return None

    try:
        cwd = Path.cwd()
    except OSError:  # the folder was removed under the kernel
        cwd = Path.home()
    root = find_root(cwd)
    if root is not None:
        entry = str(root)
        sys.path[:] = [p for p in sys.path if p != entry]
        sys.path.insert(0, entry)
        os.environ["SAMSKABELSE_COURSE_ROOT"] = entry

    ip = get_ipython()  # noqa: F821

    hint = (
        "\n"
        "Kurset (pakken `course`) blev ikke fundet fra mappen {cwd}.\n"
        "Sådan gør du: åbn notesbogen inde i kursusmappen (den mappe, nbgitpuller-linket henter, fx\n"
        "~/samskabelse/notebooks eller ~/samskabelse/exercises), eller klik på kursets link igen for at\n"
        "hente kurset; vælg så Kernel → Restart Kernel (Genstart kernen). Kopier en notesbog ind i\n"
        "kursusmappen, ikke ud af den. Virker det stadig ikke, så bed underviseren om hjælp.\n"
        "\n"
        "The course (package `course`) was not found from the folder {cwd}.\n"
        "What to do: open the notebook inside the course folder (the folder the nbgitpuller link\n"
        "fetches, e.g. ~/samskabelse/notebooks or ~/samskabelse/exercises), or click the course link\n"
        "again to fetch the course; then choose Kernel → Restart Kernel. Copy a notebook into the\n"
        "course folder, not out of it. If it still fails, ask your lecturer."
    )

    def course_missing(shell, etype, value, tb, tb_offset=None):
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        name = getattr(value, "name", None) or ""
        if name == "course" or name.startswith("course."):
            stb = [*stb, hint.format(cwd=cwd)]
        shell._showtraceback(etype, value, stb)  # shown as the cell's error, as without the handler
        return None

    ip.set_custom_exc((ModuleNotFoundError,), course_missing)

    if root is None:
        return

    watched = [root / "data", root / "course"]

    def stamp():
        mark = []
        for folder in watched:
            try:
                for path in sorted(folder.rglob("*")):
                    if path.suffix in (".py", ".csv", ".json", ".yml", ".yaml", ".md") and "__pycache__" not in path.parts:
                        st = path.stat()
                        mark.append((str(path), st.st_mtime_ns, st.st_size))
            except OSError:
                pass
        return mark

    state = {"stamp": None, "told": False}

    def check_update(*_args):
        if state["told"] or "course" not in sys.modules:
            return
        loaded = getattr(sys.modules["course"], "__file__", "") or ""
        if not loaded.startswith(str(root)):
            return
        now = stamp()
        if state["stamp"] is None:
            state["stamp"] = now
        elif now != state["stamp"]:
            state["told"] = True
            print("Kurset i mappen {} er blevet opdateret, efter at kernen startede: vælg Kernel → Restart "
                  "Kernel (Genstart kernen) for at bruge den nye version. Dit gemte arbejde bevares.\n"
                  "The course in {} was updated after this kernel started: choose Kernel → Restart Kernel "
                  "to use the new version. Your saved work is kept.".format(root, root), file=sys.stderr)

    ip.events.register("post_run_cell", check_update)


try:
    _samskabelse_setup()
finally:
    del _samskabelse_setup
'''

c.InteractiveShellApp.exec_lines = [_SETUP]
