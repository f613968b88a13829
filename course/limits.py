"""The course's limits, in one place.

The store writes only what it can read back: :data:`MAX_SAVE_BYTES` is both the largest save file
the store writes and the largest it (and the class view, and an upload) reads. The other limits
keep a save file well inside it and keep a hostile file from costing time or memory.
"""
from __future__ import annotations

#: The largest save file, in bytes, that the store writes and reads (uploads and class view too).
MAX_SAVE_BYTES = 16_000_000
#: The longest memo, in characters. 50,000 characters are about 25 pages of text.
MAX_MEMO_CHARS = 50_000
#: The deepest nesting of lists and objects in a save file (the format itself needs 5).
MAX_JSON_DEPTH = 20
#: The most digits of an integer in a save file (Python refuses more than 4,300 by default).
MAX_INT_DIGITS = 30
#: The most characters of a student's name that go into a save file's name (plus a short hash).
MAX_NAME_BYTES_IN_FILE_NAME = 60
#: The most characters of the corpus id that go into a save file's name.
MAX_CORPUS_BYTES_IN_FILE_NAME = 40
#: How long a save waits for another notebook of the same student to finish its save (seconds).
LOCK_TIMEOUT_SECONDS = 10.0
#: A timestamp this far (seconds) in the future counts as a wrong clock and is clamped to now.
FUTURE_TOLERANCE_SECONDS = 300

#: The largest data table (one CSV file), in bytes.
MAX_TABLE_BYTES = 5_000_000
#: The longest field of a data table, in characters (Python's csv module's own default limit).
MAX_FIELD_CHARS = 131_072

#: Limits of an LMS's "download all submissions" zip (:mod:`course.handin`); a class's save files
#: are a few MB at most. The most entries in one zip:
MAX_ZIP_ENTRIES = 5_000
#: The most bytes a zip may unpack to, all entries together.
MAX_ZIP_BYTES = 200_000_000
#: The most an entry may pack (unpacked size to packed size) ...
MAX_ZIP_RATIO = 200
#: ... once it unpacks to more than this many bytes (small entries pack well and are harmless).
ZIP_RATIO_FROM_BYTES = 1_000_000
