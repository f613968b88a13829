"""Interface strings in Danish (default) and English. No UI text lives in the logic."""
from __future__ import annotations

LANGUAGES = ("da", "en")
_current = "da"

STRINGS: dict[str, dict[str, str]] = {
    # shared
    "student_label": {"da": "Dit navn eller pseudonym", "en": "Your name or pseudonym"},
    "saved_to": {"da": "Dit arbejde gemmes automatisk i: {path}", "en": "Your work is saved automatically in: {path}"},
    "saved_at": {"da": "Gemt {time}", "en": "Saved {time}"},
    "restored": {"da": "Dit tidligere arbejde er hentet ({n} kodede uddrag, {m} besvarede greb).",
                 "en": "Your earlier work has been restored ({n} coded excerpts, {m} answered moves)."},
    "damaged_on_load": {"da": "Din gemte fil kunne ikke læses og er lagt til side som {kept}. {detail}",
                        "en": "Your save file could not be read and has been set aside as {kept}. {detail}"},
    "stale": {"da": "Bemærk: dit arbejde er lavet med en anden version af data end den, der er indlæst nu.",
              "en": "Note: your work was made with another version of the data than the one loaded now."},
    "download": {"da": "Hent din fil", "en": "Download your file"},
    "download_tip": {"da": "Gem din fil, så du har den, når sessionen lukker (vigtigt på Binder).",
                     "en": "Keep your file so you still have it when the session closes (important on Binder)."},
    "download_link": {"da": "Hent {name}", "en": "Download {name}"},
    "upload": {"da": "Gendan fra fil", "en": "Restore from file"},
    "upload_ok": {"da": "Gendannet fra {name}.", "en": "Restored from {name}."},
    "upload_refused": {"da": "Filen blev afvist, og dit arbejde er uændret: {reason}",
                       "en": "The file was refused and your work is unchanged: {reason}"},
    "case_filter": {"da": "Case", "en": "Case"},
    "all_cases": {"da": "Alle cases", "en": "All cases"},
    "previous": {"da": "◀ Forrige", "en": "◀ Previous"},
    "next": {"da": "Næste ▶", "en": "Next ▶"},
    "jump": {"da": "Gå til", "en": "Go to"},
    "progress_label": {"da": "Fremskridt", "en": "Progress"},
    "progress": {"da": "{i} / {n}", "en": "{i} / {n}"},
    "done_count": {"da": "{k} af {n} kodet", "en": "{k} of {n} coded"},
    "kind_quote": {"da": "Citat", "en": "Quotation"},
    "kind_vignette": {"da": "Vignet (kursets genfortælling)", "en": "Vignette (the course's retelling)"},
    "source": {"da": "Kilde", "en": "Source"},
    "source_interview": {"da": "interview", "en": "interview"},
    "source_observation": {"da": "observation", "en": "observation"},
    "source_document": {"da": "dokument", "en": "document"},
    "source_slogan": {"da": "slogan", "en": "slogan"},
    "source_article": {"da": "artiklens fremstilling", "en": "the article's account"},
    "speaker": {"da": "Aktør", "en": "Speaker"},
    "section": {"da": "Afsnit", "en": "Section"},
    "case": {"da": "Case", "en": "Case"},
    "translation": {"da": "Engelsk oversættelse", "en": "Danish original"},
    "resumed": {"da": "Du fortsætter ved det første uddrag, du ikke har kodet endnu.",
                "en": "You continue at the first excerpt you have not coded yet."},
    "upload_too_large": {"da": "Filen fylder {size} bytes; en gemt fil fylder højst {limit}.",
                         "en": "The file is {size} bytes; a save file is at most {limit}."},
    # excerpt coder
    "codebook": {"da": "Kodebog", "en": "Codebook"},
    "your_codes": {"da": "Dine koder", "en": "Your codes"},
    "memo": {"da": "Memo (dine noter til uddraget)", "en": "Memo (your notes on this excerpt)"},
    "memo_placeholder": {"da": "Hvad får dig til at vælge disse koder?", "en": "What makes you choose these codes?"},
    "compare": {"da": "Sammenlign med kursets kodning", "en": "Compare with the course's coding"},
    "compare_first": {"da": "Vælg mindst én kode eller »Ingen af koderne passer«, før du sammenligner.",
                      "en": "Choose at least one code, or \"No code applies\", before you compare."},
    "unknown_code": {"da": "{code} (findes ikke i kodebogen)", "en": "{code} (not in the codebook)"},
    "upload_unknown": {"da": "Bemærk: filen nævner noget, som de indlæste data ikke har, og som derfor ikke vises: {items}.",
                       "en": "Note: the file mentions things the loaded data do not have, so they are not shown: {items}."},
    "reference": {"da": "Kursets læsning (til diskussion, ikke facit)", "en": "The course's reading (open to discussion, not the only answer)"},
    "agreement_line": {"da": "Enighed på dette uddrag: {agree} af {n} koder ({pct:.0f} %).",
                       "en": "Agreement on this excerpt: {agree} of {n} codes ({pct:.0f}%)."},
    "both": {"da": "I begge", "en": "In both"},
    "only_you": {"da": "Kun dig", "en": "Only you"},
    "only_reference": {"da": "Kun kurset", "en": "Only the course"},
    "revised_note": {"da": "Du har revideret din kodning efter sammenligningen; din første kodning er gemt.",
                     "en": "You revised your coding after comparing; your first coding is kept."},
    "definition": {"da": "Definition", "en": "Definition"},
    "use_when": {"da": "Brug når", "en": "Use when"},
    "dont_use_when": {"da": "Brug ikke når", "en": "Do not use when"},
    "example": {"da": "Eksempel", "en": "Example"},
    "no_reference": {"da": "Kurset har ingen referencekodning for dette uddrag.",
                     "en": "The course has no reference coding for this excerpt."},
    "group_hands_off": {"da": "Hands-off metastyring", "en": "Hands-off metagovernance"},
    "group_hands_on": {"da": "Hands-on metastyring", "en": "Hands-on metagovernance"},
    "group_democratic_anchoring": {"da": "Demokratisk forankring", "en": "Democratic anchoring"},
    "group_dilemma": {"da": "Dilemmaer og udfordringer", "en": "Dilemmas and challenges"},
    # move classifier
    "mode_question": {"da": "1. Hvilken slags ledelse er det?", "en": "1. What kind of leadership is it?"},
    "tool_question": {"da": "2. Hvilket redskab eller element?", "en": "2. Which tool or element?"},
    "mode_hands_off": {"da": "Hands-off", "en": "Hands-off"},
    "mode_hands_on": {"da": "Hands-on", "en": "Hands-on"},
    "mode_democratic_anchoring": {"da": "Demokratisk forankring", "en": "Democratic anchoring"},
    "mode_none": {"da": "Ikke metastyring", "en": "Not metagovernance"},
    "class_NONE": {"da": "Ikke metastyring", "en": "Not metagovernance"},
    "answer": {"da": "Svar", "en": "Answer"},
    "choose_first": {"da": "Vælg et svar først.", "en": "Choose an answer first."},
    "result_correct": {"da": "Rigtigt.", "en": "Right."},
    "result_partial": {"da": "Delvis rigtigt: rigtig slags ledelse, men et andet redskab.",
                       "en": "Partly right: the right kind of leadership, but another tool."},
    "result_also": {"da": "Forsvarligt: kurset læser det som {ref}, men din læsning kan også begrundes.",
                    "en": "Defensible: the course reads it as {ref}, but your reading can also be argued."},
    "result_wrong": {"da": "Ikke kursets læsning.", "en": "Not the course's reading."},
    "reference_class": {"da": "Kursets klassifikation: {ref} ({explicitness}).", "en": "The course's classification: {ref} ({explicitness})."},
    "explicitness_explicit": {"da": "artiklen siger det selv", "en": "the article says so itself"},
    "explicitness_inferred": {"da": "kursets slutning ud fra artiklens begreber", "en": "the course's inference from the article's concepts"},
    "explicitness_none": {"da": "artiklen klassificerer det ikke", "en": "not classified by the article"},
    "score": {"da": "Point: {correct} rigtige, {partial} delvis, {wrong} forkerte af {answered} besvarede ({n} i alt)",
              "en": "Score: {correct} right, {partial} partly, {wrong} wrong of {answered} answered ({n} in all)"},
    "retry_wrong": {"da": "Prøv dem igen, du ikke fik rigtige", "en": "Retry the ones you missed"},
    "show_all": {"da": "Vis alle greb", "en": "Show all moves"},
    "actor": {"da": "Aktør", "en": "Actor"},
    "phase": {"da": "Fase", "en": "Phase"},
    "phase_initiation": {"da": "Igangsættelse", "en": "Initiation"},
    "phase_design_framing": {"da": "Design og framing", "en": "Design and framing"},
    "phase_during": {"da": "Undervejs", "en": "During"},
    "phase_ending": {"da": "Afslutning", "en": "Ending"},
    "phase_after": {"da": "Bagefter", "en": "After"},
    "finished": {"da": "Du har besvaret alle greb. Se din forvekslingsmatrix med .confusion_chart().",
                 "en": "You have answered every move. See your confusion chart with .confusion_chart()."},
    "finished_retry": {"da": "Du har svaret på alle greb i denne runde. Tryk »Vis alle greb« for at se dem alle igen.",
                       "en": "You have answered every move in this round. Press \"Show all moves\" to see them all again."},
    "retry_round": {"da": "Ny runde: de greb, du ikke fik rigtige. Kursets klassifikation vises, når du har svaret.",
                    "en": "New round: the moves you missed. The course's classification shows once you have answered."},
    "nothing_to_retry": {"da": "Ingen forkerte svar at øve igen.", "en": "No wrong answers to practise again."},
    # charts
    "chart_agreement_title": {"da": "Din enighed med kursets kodning, pr. kode", "en": "Your agreement with the course's coding, per code"},
    "chart_confusion_title": {"da": "Dine svar mod kursets klassifikation", "en": "Your answers against the course's classification"},
    "your_answer": {"da": "Dit svar", "en": "Your answer"},
    "course_answer": {"da": "Kursets klassifikation", "en": "The course's classification"},
    "count": {"da": "Antal", "en": "Count"},
    "code": {"da": "Kode", "en": "Code"},
    "metric": {"da": "Mål", "en": "Measure"},
    "value": {"da": "Værdi", "en": "Value"},
    "prevalence": {"da": "Forekomst i kursets kodning", "en": "Prevalence in the course's coding"},
    # "no code applies" and the overall alpha (issue 16)
    "no_code": {"da": "Ingen af koderne passer", "en": "No code applies"},
    "case_code": {"da": "Case: {case}", "en": "Case: {case}"},
    # hand-in and LMS zips (course.handin)
    "handin_button": {"da": "Aflever mit arbejde", "en": "Hand in my work"},
    "handin_tip": {"da": "Kopierer din gemte fil til underviserens afleveringsmappe. Du kan aflevere igen; "
                   "den nye aflevering erstatter din forrige.",
                   "en": "Copies your save file to the lecturer's hand-in folder. You can hand in again; the new "
                   "hand-in replaces your previous one."},
    "handin_done": {"da": "Afleveret: {path}", "en": "Handed in: {path}"},
    "handin_no_folder": {"da": "Der er ingen afleveringsmappe. Underviseren sætter den med miljøvariablen {env} "
                         "(på en JupyterHub); ellers: hent din fil med knappen \"Hent din fil\" og aflever filen i jeres LMS.",
                         "en": "There is no hand-in folder. The lecturer sets it with the environment variable {env} "
                         "(on a JupyterHub); otherwise download your file with the button \"Download your file\" and hand the file in on your LMS."},
    "handin_nothing": {"da": "Der er intet gemt arbejde at aflevere endnu: kod eller klassificér noget først.",
                       "en": "There is no saved work to hand in yet: code or classify something first."},
    "handin_no_name": {"da": "Skriv dit navn eller pseudonym i feltet 'Dit navn eller pseudonym' i kodningen, "
                       "før du afleverer (ellers kan underviseren ikke skelne afleveringerne).",
                       "en": "Type your name or pseudonym in the field 'Your name or pseudonym' in the coder before "
                       "you hand in (otherwise the lecturer cannot tell hand-ins apart)."},
    "handin_bad_save": {"da": "Din gemte fil {file} kan ikke afleveres: {reason}",
                        "en": "Your save file {file} cannot be handed in: {reason}"},
    "handin_failed": {"da": "Afleveringen mislykkedes; mappen {folder} kunne ikke skrives ({reason}). Dit arbejde "
                      "er uændret.",
                      "en": "The hand-in failed; the folder {folder} could not be written ({reason}). Your work is "
                      "unchanged."},
    "zip_bad": {"da": "{zip} er ikke en zip-fil, der kan læses.", "en": "{zip} is not a zip file that can be read."},
    "zip_too_many": {"da": "{zip} er afvist: {n} filer i zip-filen (højst {limit}).",
                     "en": "{zip} was refused: {n} files in the zip (at most {limit})."},
    "zip_too_big": {"da": "{zip} er afvist: {size} bytes udpakket (højst {limit}); det ligner en zip-bombe.",
                    "en": "{zip} was refused: {size} bytes unpacked (at most {limit}); it looks like a zip bomb."},
    "zip_ratio": {"da": "{zip} er afvist: {entry} pakker sig {ratio} gange ud (højst {limit}); det ligner en "
                  "zip-bombe.",
                  "en": "{zip} was refused: {entry} unpacks {ratio} times (at most {limit}); it looks like a zip "
                  "bomb."},
    "zip_escape": {"da": "{entry} i {zip} er sprunget over: stien peger ud af mappen (absolut sti, '..' eller et "
                   "symbolsk link).",
                   "en": "{entry} in {zip} was skipped: its path leads out of the folder (an absolute path, '..' or "
                   "a symbolic link)."},
    "no_code_tip": {"da": "Vælg dette, når du har læst uddraget og mener, at ingen kode i kodebogen passer. "
                    "Det tæller som en beslutning; det fjerner dine andre koder.",
                    "en": "Choose this when you have read the excerpt and think no code in the codebook applies. "
                    "It counts as a decision; it clears your other codes."},
    "alpha_overall": {"da": "Samlet α over alle koder: {alpha} – {reading}. (Krippendorffs α for mængder af koder "
                      "med MASI-afstand, Passonneau 2006: hver studerendes valgte koder pr. uddrag som én mængde; "
                      "»Ingen af koderne passer« er den tomme mængde.)",
                      "en": "Overall α across all codes: {alpha} – {reading}. (Krippendorff's α for sets of codes "
                      "with the MASI distance, Passonneau 2006: each student's codes for an excerpt as one set; "
                      "\"No code applies\" is the empty set.)"},
    # saving (course.store, the save bar)
    "not_saved": {"da": "⚠ Ikke gemt", "en": "⚠ Not saved"},
    "save_failed": {"da": "⚠ Dit arbejde blev ikke gemt: {what} Det er stadig her i notesbogen (i hukommelsen), "
                          "men ikke på disken. Hent det nu med knappen \"Hent din fil\", så du har en kopi. Kurset "
                          "prøver at gemme igen ved din næste handling.",
                    "en": "⚠ Your work was not saved: {what} It is still here in the notebook (in memory), but "
                          "not on disk. Download it now with the button \"Download your file\" so that you have a copy. The "
                          "course tries to save again at your next action."},
    "save_failed_disk_full": {"da": "disken er fuld ({path}).", "en": "the disk is full ({path})."},
    "save_failed_read_only": {"da": "mappen kan kun læses, ikke skrives ({path}).",
                              "en": "the folder is read-only ({path})."},
    "save_failed_no_permission": {"da": "du har ikke lov til at skrive i mappen ({path}).",
                                  "en": "you are not allowed to write in the folder ({path})."},
    "save_failed_not_a_folder": {"da": "gemmestedet er ikke en mappe: en fil ligger, hvor mappen skulle være ({path}).",
                                 "en": "the place to save in is not a folder: a file is where the folder should be ({path})."},
    "save_failed_vanished": {"da": "mappen forsvandt, mens der blev gemt ({path}).",
                             "en": "the folder disappeared while saving ({path})."},
    "save_failed_name_too_long": {"da": "filnavnet er for langt til dette filsystem ({path}).",
                                  "en": "the file name is too long for this file system ({path})."},
    "save_failed_busy": {"da": "en anden notesbog gemmer din fil netop nu og blev ikke færdig i tide ({path}).",
                         "en": "another notebook is saving your file right now and did not finish in time ({path})."},
    "save_failed_too_big": {"da": "filen er blevet for stor ({detail}). Gør lange memoer kortere.",
                            "en": "the file has grown too large ({detail}). Shorten long memos."},
    "save_failed_invalid": {"da": "{detail}", "en": "{detail}"},
    "save_failed_other": {"da": "{detail} ({path}).", "en": "{detail} ({path})."},
    "recovered_backup": {"da": "Din gemte fil manglede eller var beskadiget; dit arbejde er hentet fra sikkerhedskopien {name}.",
                         "en": "Your save file was missing or damaged; your work has been recovered from the backup {name}."},
    "recovered_tmp": {"da": "En gemning blev afbrudt; dit arbejde er hentet fra den midlertidige fil, den efterlod.",
                      "en": "A save was interrupted; your work has been recovered from the temporary file it left."},
    "recovered_legacy": {"da": "Dit arbejde er flyttet fra {old} til {new} (kursets nye navne på gemte filer).",
                         "en": "Your work has moved from {old} to {new} (the course's new names for save files)."},
    "brought_along": {"da": "Det arbejde, du lavede under navnet \"student\" ({n} uddrag og greb), er flyttet over til navnet {name}.",
                      "en": "The work you did under the name \"student\" ({n} excerpts and moves) has moved over to the name {name}."},
    "adopted_name": {"da": "Filen tilhører {name}; navnet er nu {name}.", "en": "The file belongs to {name}; the name is now {name}."},
    "memo_too_long": {"da": "Memoet er {n} tegn; grænsen er {limit}. Den nye tekst er ikke gemt: gør memoet kortere "
                            "(læg resten i et dokument for sig).",
                      "en": "The memo is {n} characters; the limit is {limit}. The new text is not saved: shorten "
                            "the memo (keep the rest in a document of its own)."},
    # the data tables (course.data)
    "data_unbalanced_quote": {"da": "Et anførselstegn i feltet '{field}' lukkes ikke, så række {first}-{last} blev læst som en del af dette felt.",
                              "en": "A quote mark in the field '{field}' is never closed, so rows {first}-{last} were read as part of this field."},
    "data_unbalanced_quote_fix": {"da": "Luk anførselstegnet i rækken, eller fordobl et anførselstegn inde i teksten (\"\").",
                                  "en": "Close the quote mark in this row, or double a quote mark inside the text (\"\")."},
    "data_unknown_column": {"da": "Kolonnen '{column}' kendes ikke.", "en": "The column '{column}' is not known."},
    "data_unknown_column_fix": {"da": "Mente du '{suggestion}'? Ret overskriften.", "en": "Did you mean '{suggestion}'? Correct the header."},
    "data_unknown_column_warn": {"da": "{file}: kolonnen '{column}' kendes ikke og bruges ikke. Kendte kolonner: {known}.",
                                 "en": "{file}: the column '{column}' is not known and is not used. Known columns: {known}."},
    "data_field_too_long": {"da": "Et felt er længere end {limit} tegn.", "en": "A field is longer than {limit} characters."},
    "data_field_too_long_fix": {"da": "Et anførselstegn er sikkert ikke lukket i eller før denne række; ellers gør teksten kortere.",
                                "en": "A quote mark is probably not closed in or before this row; otherwise shorten the text."},
    "data_csv_error": {"da": "Filen kan ikke læses som CSV: {detail}.", "en": "The file cannot be read as CSV: {detail}."},
    "data_csv_error_fix": {"da": "Gem filen fra Excel som 'CSV UTF-8 (kommasepareret)'.",
                           "en": "Save the file from Excel as 'CSV UTF-8 (Comma delimited)'."},
    "data_bad_bytes": {"da": "Rækken har tegn, der ikke er UTF-8 (fx bytes {bytes}); de vises som '\ufffd'.",
                       "en": "The row has characters that are not UTF-8 (e.g. bytes {bytes}); they show as '\ufffd'."},
    "data_bad_bytes_fix": {"da": "Skriv æ, ø, å osv. i rækken igen, og gem filen som 'CSV UTF-8'.",
                           "en": "Retype æ, ø, å etc. in this row and save the file as 'CSV UTF-8'."},
    "data_is_folder": {"da": "{name} er en mappe, ikke en fil.", "en": "{name} is a folder, not a file."},
    "data_is_folder_fix": {"da": "Læg en CSV-fil med navnet {name} her i stedet for mappen.",
                           "en": "Put a CSV file named {name} here instead of the folder."},
    "data_unreadable": {"da": "Filen kan ikke læses: {detail}.", "en": "The file cannot be read: {detail}."},
    "data_unreadable_fix": {"da": "Tjek, at filen findes og at du har lov til at læse den.",
                            "en": "Check that the file exists and that you may read it."},
    "data_invisible_only": {"da": "Feltet indeholder kun usynlige tegn.", "en": "The field holds only invisible characters."},
    "data_invisible_only_fix": {"da": "Skriv teksten i '{column}'; den skal udfyldes.",
                                "en": "Write the text of '{column}'; it is required."},
    "confusion_empty": {"da": "Du har ikke svaret på nogen greb endnu. Svar på nogle i grebsklassifikatoren, og kør så cellen igen.",
                        "en": "You have not answered any moves yet. Answer some in the move classifier, then run this cell again."},
    "confusion_diagonal": {"da": "Sort ramme: samme klasse som kurset", "en": "Black frame: the course's class"},
    "agreement_empty": {"da": "Du har ikke kodet nogen uddrag i denne case endnu. Kod nogle i widgetten, og kør så cellen igen.",
                        "en": "You have not coded any excerpts in this case yet. Code some in the widget, then run this cell again."},
    "agreement_good": {"da": "God enighed", "en": "Good agreement"},
    "agreement_partial": {"da": "Delvis enighed", "en": "Partial agreement"},
    "agreement_poor": {"da": "Lille eller ingen enighed", "en": "Little or no agreement"},
    # save files: what is wrong with one (course.store.SaveFileError's kinds)
    "save_error_oversized": {"da": "Filen fylder {size} bytes; en gemt fil fylder højst {limit}.",
                             "en": "The file is {size} bytes; a save file is at most {limit}."},
    "save_error_empty": {"da": "Filen er tom.", "en": "The file is empty."},
    "save_error_not_text": {"da": "Filen er ikke tekst (den er ikke UTF-8 JSON).",
                            "en": "The file is not text (it is not UTF-8 JSON)."},
    "save_error_not_json": {"da": "Filen er ikke gyldig JSON (linje {line}, kolonne {col}): den er måske afkortet "
                                  "eller beskadiget.",
                            "en": "The file is not valid JSON (line {line}, column {col}): it may be cut off or damaged."},
    "save_error_invalid": {"da": "Filen er ikke en gemt fil fra kurset: den indeholder {detail}.",
                           "en": "The file is not a course save file: it holds {detail}."},
    "save_error_too_deep": {"da": "Filen er indlejret for dybt til at være en gemt fil fra kurset.",
                            "en": "The file is nested too deeply to be a course save file."},
    "save_error_unsavable": {"da": "Filen indeholder tekst, der ikke kan gemmes igen ({detail}).",
                             "en": "The file holds text that cannot be saved again ({detail})."},
    "save_error_not_object": {"da": "Det er ikke en gemt fil fra kurset (den er ikke et JSON-objekt).",
                              "en": "This is not a course save file (it is not a JSON object)."},
    "save_error_foreign": {"da": "Det er ikke en gemt fil fra kurset (feltet 'format' mangler eller er et andet).",
                           "en": "This is not a course save file (its 'format' field is missing or different)."},
    "save_error_no_schema": {"da": "Den gemte fil har ingen gyldig schema_version.",
                             "en": "The save file has no valid schema_version."},
    "save_error_newer": {"da": "Den gemte fil er lavet med en nyere version af kurset (skema {version}).",
                         "en": "The save file was made by a newer version of the course (schema {version})."},
    "save_error_field_not_text": {"da": "Feltet '{field}' mangler eller er ikke tekst.",
                                  "en": "The field '{field}' is missing or not text."},
    "save_error_parts_not_objects": {"da": "Felterne 'coding' og 'moves' skal begge være JSON-objekter.",
                                     "en": "The fields 'coding' and 'moves' must both be JSON objects."},
    "save_where_coding": {"da": "kodningen af uddrag '{id}'", "en": "coding entry '{id}'"},
    "save_where_move": {"da": "svaret på greb '{id}'", "en": "move entry '{id}'"},
    "save_error_entry_not_object": {"da": "I {where}: posten er ikke et objekt.", "en": "The {where} is not an object."},
    "save_error_entry_no_codes": {"da": "I {where}: 'first' er ikke en liste af koder.",
                                  "en": "The {where} has no list of codes in 'first'."},
    "save_error_entry_bad_revised": {"da": "I {where}: feltet 'revised' er ikke en liste af koder.",
                                     "en": "The {where} has a 'revised' field that is not a list of codes."},
    "save_error_entry_bad_memo": {"da": "I {where}: memoet er ikke tekst.", "en": "The {where} has a memo that is not text."},
    "save_error_entry_not_bool": {"da": "I {where}: feltet '{field}' er ikke sand/falsk.",
                                  "en": "The {where} has a '{field}' field that is not true/false."},
    "save_error_entry_bad_updated": {"da": "I {where}: feltet 'updated' er ikke tekst.",
                                     "en": "The {where} has an 'updated' field that is not text."},
    "save_error_entry_bad_rev": {"da": "I {where}: feltet 'rev' er ikke et helt tal.",
                                 "en": "The {where} has a 'rev' field that is not a whole number."},
    "save_error_entry_no_attempts": {"da": "I {where}: der er ingen liste af forsøg.",
                                     "en": "The {where} has no list of attempts."},
    "save_error_entry_bad_attempt": {"da": "I {where}: et forsøg kan ikke forstås.",
                                     "en": "The {where} holds an attempt that is not understood."},
    "save_error_other_corpus": {"da": "Den gemte fil hører til en anden case-samling ('{found}', ikke '{expected}').",
                                "en": "This save file belongs to another case collection ('{found}', not '{expected}')."},
    "save_error_too_big": {"da": "Gemningen ville fylde {size} bytes; grænsen er {limit}.",
                           "en": "The save would be {size} bytes; the limit is {limit}."},
    "save_error_unreadable": {"da": "Filen kunne ikke læses ({detail}).", "en": "The file could not be read ({detail})."},
    "save_fix_download": {"da": "Vælg den .json-fil, som kursets knap »Hent din fil« lavede.",
                          "en": "Choose the .json file that the course's 'Download' button made."},
    "save_fix_update": {"da": "Opdater kurset (git pull), og prøv igen.", "en": "Update the course (git pull) and try again."},
    "save_fix_other_case": {"da": "Upload den i notesbogen for den case.", "en": "Upload it in the notebook of that case."},
}


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language '{lang}'; use one of {LANGUAGES}.")
    _current = lang


def get_language() -> str:
    return _current


def t(key: str, lang: str | None = None, **values) -> str:
    """The interface string ``key`` in ``lang`` (default: the notebook's language)."""
    entry = STRINGS[key]
    text = entry.get(lang or _current) or entry["da"]
    return text.format(**values) if values else text


class Message(str):
    """A rendered catalogue string that remembers its ``key`` and ``values`` (to render it again)."""

    key: str
    values: dict

    def render(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.values)


def msg(key: str, lang: str | None = None, **values) -> Message:
    """``t``, as a :class:`Message` that keeps its key and values (typed errors carry them)."""
    text = Message(t(key, lang, **values))
    text.key, text.values = key, values
    return text


def lookup(table: dict[str, dict[str, str]], key: str, lang: str | None = None, **values) -> str:
    """``t`` for a module's own string table (same shape as STRINGS): falls back on Danish."""
    entry = table[key]
    text = entry.get(lang or _current) or entry["da"]
    return text.format(**values) if values else text


def number(value: int, lang: str | None = None) -> str:
    """A whole number with thousands separators: "2.000.000" in Danish, "2,000,000" in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if (lang or _current) == "da" else text


def pct(share: float, lang: str | None = None, digits: int = 0) -> str:
    """A share as a percentage: "55 %" in Danish, "55%" in English; "–" when undefined."""
    if share is None or share != share:  # None or NaN
        return "–"
    number = f"{100 * share:.{digits}f}"
    if (lang or _current) == "da":
        return number.replace(".", ",") + " %"
    return number + "%"


def field(record, name: str, lang: str | None = None) -> str:
    """``record[name_<lang>]``, falling back on the Danish text when the translation is empty."""
    lang = lang or _current
    get = record.get if hasattr(record, "get") else lambda k, d="": getattr(record, k, d)
    value = get(f"{name}_{lang}", "") or ""
    return value if str(value).strip() else (get(f"{name}_da", "") or "")
