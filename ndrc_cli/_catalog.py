"""Every user-facing string: key -> (English, French).

Keep both languages complete (tests/test_i18n.py checks it). Placeholders
are str.format fields and must match between the two texts. French uses the
exam's own vocabulary (admis, ajourné, épreuves de contrôle, dispensé).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- application and options -------------------------------------------
    "app.help": (
        "Exact BTS NDRC exam results from a grade sheet (CSV).",
        "Résultats exacts du BTS NDRC à partir d'une feuille de notes (CSV).",
    ),
    "grade.help": (
        "Compute each student's average and decision from a grade sheet (CSV, or - for stdin).",
        "Calcule la moyenne et la décision de chaque candidat d'une feuille de notes (CSV, ou - pour l'entrée standard).",
    ),
    "template.help": (
        "Write an empty grade sheet for the curriculum, ready for a spreadsheet.",
        "Écrit une feuille de notes vide pour le référentiel, prête pour un tableur.",
    ),
    "arg.sheet": ("The grade sheet: a CSV file, or - for stdin.", "La feuille de notes : un fichier CSV, ou - pour l'entrée standard."),
    "opt.lang": ("Interface language (default: NDRC_LANG, then the locale).", "Langue de l'interface (par défaut : NDRC_LANG, puis la locale)."),
    "opt.version": ("Show the version and exit.", "Affiche la version et quitte."),
    "opt.curriculum": (
        "Curriculum YAML to use instead of the embedded BTS NDRC one.",
        "Référentiel YAML à utiliser au lieu de celui du BTS NDRC intégré.",
    ),
    "opt.output": (
        "Write to FILE (atomically) instead of stdout; never over an input.",
        "Écrit dans FILE (de façon atomique) au lieu de la sortie standard ; jamais sur une entrée.",
    ),
    "opt.force": ("Replace the output file if it exists.", "Remplace le fichier de sortie s'il existe."),
    "opt.format": (
        "Output format (default: table on a terminal, else from the -o extension, else csv).",
        "Format de sortie (par défaut : table sur un terminal, sinon selon l'extension de -o, sinon csv).",
    ),
    "opt.excel": (
        "CSV for French spreadsheets: ';', decimal comma, UTF-8 with BOM, CRLF.",
        "CSV pour tableur français : « ; », virgule décimale, UTF-8 avec BOM, CRLF.",
    ),
    "opt.explain": (
        "Show one student's computation line by line.",
        "Détaille le calcul d'un candidat, ligne par ligne.",
    ),
    "opt.delimiter": (
        "Field delimiter of the sheet: ';', ',', 'tab' (default: detected).",
        "Séparateur de la feuille : « ; », « , », « tab » (par défaut : détecté).",
    ),
    "opt.encoding": (
        "Encoding of the sheet (default: UTF-8 with or without BOM, else cp1252).",
        "Encodage de la feuille (par défaut : UTF-8 avec ou sans BOM, sinon cp1252).",
    ),
    "opt.parts": (
        "Give E5's two parts their own columns instead of one E5 column.",
        "Donne une colonne à chacune des deux parties d'E5 au lieu d'une colonne E5.",
    ),
    "opt.plain": (
        "Plain CSV (',' and UTF-8 without BOM) instead of the Excel dialect.",
        "CSV simple (« , » et UTF-8 sans BOM) au lieu du format Excel.",
    ),
    "opt.bad_delimiter": (
        "unknown delimiter {value!r}: use ';', ',' or 'tab'",
        "séparateur inconnu {value!r} : utilisez « ; », « , » ou « tab »",
    ),
    # -- errors --------------------------------------------------------------
    "err.prefix": ("error: {message}", "erreur : {message}"),
    "err.summary": (
        "error: {count} problem(s) found; nothing was written.",
        "erreur : {count} problème(s) trouvé(s) ; rien n'a été écrit.",
    ),
    "err.unknown_student": ("no student with id {id!r} in {sheet}", "aucun candidat d'identifiant {id!r} dans {sheet}"),
    "io.cannot_read": ("cannot read {path}: {reason}", "impossible de lire {path} : {reason}"),
    "io.cannot_write": ("cannot write {path}: {reason}", "impossible d'écrire {path} : {reason}"),
    "io.output_is_input": (
        "refusing to write over the input file {path}",
        "refus d'écrire par-dessus le fichier d'entrée {path}",
    ),
    "io.output_is_dir": ("{path} is a directory", "{path} est un dossier"),
    "io.output_exists": (
        "{path} already exists; use --force to replace it",
        "{path} existe déjà ; utilisez --force pour le remplacer",
    ),
    # -- curriculum ------------------------------------------------------------
    "cur.yaml_syntax": ("invalid YAML: {problem}", "YAML invalide : {problem}"),
    "cur.empty": ("the curriculum is empty", "le référentiel est vide"),
    "cur.not_utf8": ("the curriculum is not valid UTF-8", "le référentiel n'est pas en UTF-8 valide"),
    "cur.expected_mapping": ("{where}: expected a mapping (key: value)", "{where} : table clé: valeur attendue"),
    "cur.expected_list": ("{where}: expected a list", "{where} : liste attendue"),
    "cur.expected_scalar": ("{where}: expected a single value", "{where} : valeur simple attendue"),
    "cur.bad_key": ("{where}: keys must be plain text", "{where} : les clés doivent être du texte simple"),
    "cur.duplicate_key": (
        "duplicate key {key!r} (first on line {line})",
        "clé {key!r} en double (déjà ligne {line})",
    ),
    "cur.unknown_key": (
        "unknown key {key!r} in {where} (expected: {allowed})",
        "clé inconnue {key!r} dans {where} (attendu : {allowed})",
    ),
    "cur.missing_key": ("{where}: missing key {key!r}", "{where} : clé {key!r} manquante"),
    "cur.mistyped_string": (
        "{where}: {value!r} would be read by YAML as a boolean, number, date or null; quote it",
        "{where} : {value!r} serait lu par YAML comme un booléen, un nombre, une date ou null ; mettez-le entre guillemets",
    ),
    "cur.expected_bool": ("{where}: expected true or false, not {value!r}", "{where} : true ou false attendu, pas {value!r}"),
    "cur.expected_int": ("{where}: expected a whole number, not {value!r}", "{where} : nombre entier attendu, pas {value!r}"),
    "cur.expected_number": (
        "{where}: expected a number such as 10 or 8.5, not {value!r}",
        "{where} : nombre attendu, comme 10 ou 8.5, pas {value!r}",
    ),
    "cur.leading_zero": (
        "{where}: {value!r} has a leading zero that YAML reads as octal; remove it",
        "{where} : {value!r} commence par un zéro que YAML lit en octal ; retirez-le",
    ),
    "cur.too_small": ("{where}: {value} is below the minimum {minimum}", "{where} : {value} est inférieur au minimum {minimum}"),
    "cur.grade_range": ("{where}: {value} is not between 0 and 20", "{where} : {value} n'est pas entre 0 et 20"),
    "cur.bad_schema": ("unknown schema {value!r} (expected {expected!r})", "schéma inconnu {value!r} ({expected!r} attendu)"),
    "cur.no_units": ("the curriculum has no unit", "le référentiel ne contient aucune épreuve"),
    "cur.empty_code": ("a unit code cannot be empty", "un code d'épreuve ne peut pas être vide"),
    "cur.duplicate_code": (
        "duplicate unit code or alias {code!r} (first on line {line})",
        "code ou alias d'épreuve {code!r} en double (déjà ligne {line})",
    ),
    "cur.duplicate_bloc": ("duplicate bloc {id!r} (first on line {line})", "bloc {id!r} en double (déjà ligne {line})"),
    "cur.bad_domain": ("unknown domain {value!r} (expected: {allowed})", "domaine inconnu {value!r} (attendu : {allowed})"),
    "cur.coefficient_positive": (
        "{code}: coefficient must be greater than 0, not {value}",
        "{code} : le coefficient doit être supérieur à 0, pas {value}",
    ),
    "cur.coefficient_required": ("{code}: a mandatory unit needs a coefficient", "{code} : une épreuve obligatoire doit avoir un coefficient"),
    "cur.professional_dispensable": (
        "{code}: a professional unit cannot be dispensable (D643-17)",
        "{code} : une épreuve professionnelle ne peut pas être dispensable (D643-17)",
    ),
    "cur.unknown_bloc": ("{code}: unknown bloc {bloc!r}", "{code} : bloc inconnu {bloc!r}"),
    "cur.all_dispensable": (
        "at least one mandatory unit must not be dispensable",
        "au moins une épreuve obligatoire doit être non dispensable",
    ),
    "cur.one_part": ("{where}: a unit split into parts needs at least two", "{where} : une épreuve en parties en demande au moins deux"),
    "cur.rule_unknown_unit": ("{where}: unknown unit {code!r}", "{where} : épreuve inconnue {code!r}"),
    "cur.rule_wrong_domain": ("{where}: {code} is not a {domain} unit", "{where} : {code} n'est pas une épreuve de domaine {domain}"),
    "cur.controle_above_pass": (
        "rules.controle.min_average is above the pass threshold",
        "rules.controle.min_average dépasse le seuil d'admission",
    ),
    "cur.optional_needs_coefficient": (
        "{code}: this rule weighs optional units, so it needs a coefficient",
        "{code} : cette règle pondère les épreuves facultatives, il lui faut un coefficient",
    ),
    "cur.expected_date": ("{where}: expected a date written YYYY-MM-DD, not {value!r}", "{where} : date attendue au format AAAA-MM-JJ, pas {value!r}"),
    "cur.unknown_bloc_ref": ("{where}: unknown bloc {code!r}", "{where} : bloc inconnu {code!r}"),
    "cur.empty_marker": ("markers.{effect}: a marker cannot be empty", "markers.{effect} : un marqueur ne peut pas être vide"),
    "cur.numeric_marker": ("marker {value!r} looks like a grade", "le marqueur {value!r} ressemble à une note"),
    "cur.duplicate_marker": ("duplicate marker {value!r} (first on line {line})", "marqueur {value!r} en double (déjà ligne {line})"),
    # -- grade sheets ------------------------------------------------------------
    "sheet.empty": ("the file is empty", "le fichier est vide"),
    "sheet.unknown_encoding": ("unknown encoding {encoding!r}", "encodage inconnu {encoding!r}"),
    "sheet.undecodable": (
        "byte 0x{byte} cannot be decoded as {encoding}; pass --encoding",
        "l'octet 0x{byte} n'est pas décodable en {encoding} ; précisez --encoding",
    ),
    "sheet.csv_error": ("unreadable CSV: {problem}", "CSV illisible : {problem}"),
    "sheet.no_id_column": (
        "no id column (expected a header such as id, numéro, matricule or candidat)",
        "aucune colonne d'identifiant (en-tête attendu : id, numéro, matricule ou candidat)",
    ),
    "sheet.no_unit_column": (
        "no unit column (expected at least one of {units})",
        "aucune colonne d'épreuve (au moins une attendue parmi {units})",
    ),
    "sheet.unknown_unit_column": (
        "unknown unit {header!r} (the curriculum has {units})",
        "épreuve inconnue {header!r} (le référentiel a {units})",
    ),
    "sheet.duplicate_column": (
        "column {header!r} repeats column {first}",
        "la colonne {header!r} répète la colonne {first}",
    ),
    "sheet.incomplete_parts": (
        "{unit} in parts needs all of its part columns: {parts}",
        "{unit} en parties demande toutes ses colonnes : {parts}",
    ),
    "sheet.ragged": (
        "this row has {cells} cells; the header has {expected}",
        "cette ligne a {cells} cellules ; l'en-tête en a {expected}",
    ),
    "sheet.empty_id": ("empty id", "identifiant vide"),
    "sheet.duplicate_id": ("duplicate id {id!r} (first on line {first})", "identifiant {id!r} en double (déjà ligne {first})"),
    "sheet.grade_range": ("grade {value} is not between 0 and 20", "la note {value} n'est pas entre 0 et 20"),
    "sheet.unknown_marker": (
        "{value!r} is neither a grade 0–20 nor a known marker ({markers})",
        "{value!r} n'est ni une note de 0 à 20 ni un marqueur connu ({markers})",
    ),
    "sheet.not_dispensable": (
        "{code}: {marker} is not allowed, this unit cannot be exempted (dispensable: {units})",
        "{code} : {marker} interdit, cette épreuve ne peut pas être dispensée (dispensables : {units})",
    ),
    "sheet.part_exempt": (
        "{code}: an exemption applies to the whole unit; write it in the {unit} column",
        "{code} : une dispense vaut pour toute l'épreuve ; écrivez-la dans la colonne {unit}",
    ),
    "sheet.unit_and_parts": (
        "{unit} is given both as one grade and as its parts ({parts}); keep one",
        "{unit} est donnée à la fois en une note et en parties ({parts}) ; n'en gardez qu'une",
    ),
    # -- programme ---------------------------------------------------------------
    "programme.help": (
        "Show the BTS programme: identity, rhythm, exams and coefficients, content.",
        "Présente le programme du BTS : identité, rythme, épreuves et coefficients, contenus.",
    ),
    "opt.section": (
        "Show these sections: {sections} (repeatable).",
        "Affiche ces sections : {sections} (répétable).",
    ),
    "opt.all": ("Show every section in full.", "Affiche toutes les sections en entier."),
    "opt.bloc": ("Show one professional bloc as a tree (1, 2, 3 or B1…).", "Affiche un bloc professionnel en arbre (1, 2, 3 ou B1…)."),
    "opt.programme_format": (
        "Output format: table (terminal), markdown or json (the structured data).",
        "Format de sortie : table (terminal), markdown ou json (les données structurées).",
    ),
    "opt.bad_section": ("unknown section {value!r} (choose from {sections})", "section inconnue {value!r} (au choix : {sections})"),
    "err.unknown_bloc": ("no bloc {value!r} in the programme (choose from {blocs})", "aucun bloc {value!r} dans le programme (au choix : {blocs})"),
    "section.organisation": ("Duration and rhythm", "Durée et rythme"),
    "section.admission": ("Admission", "Admission"),
    "section.teaching": ("Teaching and follow-up", "Pédagogie et suivi"),
    "section.assessment": ("Assessment", "Évaluation"),
    "section.exams": ("Exams", "Épreuves"),
    "section.result": ("How the result is computed", "Calcul du résultat"),
    "section.blocs": ("Blocs de compétences", "Blocs de compétences"),
    "section.content": ("Content", "Contenus"),
    "section.careers": ("Careers", "Débouchés"),
    "prog.diploma": ("Diploma", "Diplôme"),
    "prog.rncp": ("RNCP", "RNCP"),
    "prog.certifier": ("Certifier", "Certificateur"),
    "prog.registered": ("Registered", "Enregistrement"),
    "prog.objective": ("Objective", "Objectif"),
    "prog.duration": ("Duration", "Durée"),
    "prog.hours": ("{hours} hours over {years} years", "{hours} heures sur {years} ans"),
    "prog.dates_label": ("Dates", "Dates"),
    "prog.dates": ("{start} to {end}", "du {start} au {end}"),
    "prog.rhythm": ("Rhythm", "Rythme"),
    "prog.rhythm_days": (
        "work-study: {company} days in company, {school} at school each week",
        "alternance : {company} jours en entreprise, {school} en centre par semaine",
    ),
    "prog.contracts": ("Contracts", "Contrats"),
    "prog.place": ("Place", "Lieu"),
    "prog.remote": ("Remote", "À distance"),
    "prog.accessibility": ("Accessibility", "Accessibilité"),
    "prog.prerequisites": ("Prerequisites", "Prérequis"),
    "prog.equipment": ("Equipment", "Matériel"),
    "prog.funding": ("Funding", "Financement"),
    "prog.admission_steps": ("Admission steps", "Étapes d'admission"),
    "prog.means": ("Teaching means", "Moyens pédagogiques"),
    "prog.follow_up": ("Follow-up", "Suivi"),
    "prog.evaluation": ("Assessment during the course", "Évaluation en cours de formation"),
    "prog.tracking": ("Attendance and tracking", "Suivi de l'assiduité"),
    "prog.col.exam": ("Épreuve", "Épreuve"),
    "prog.col.coef": ("Coef.", "Coef."),
    "prog.col.share": ("Share", "Part"),
    "prog.col.form": ("Form and duration", "Modalités"),
    "prog.col.subjects": ("Subjects taught", "Matières enseignées"),
    "prog.points_above": ("points > {above}", "points > {above}"),
    "prog.total": ("Sum of the mandatory coefficients: {total}.", "Somme des coefficients obligatoires : {total}."),
    "prog.result_average": (
        "Average = (Σ coefficient × grade + the points above {above} in {optional}) / {total}; exempted units leave the divisor.",
        "Moyenne = (Σ coefficient × note + les points au-dessus de {above} en {optional}) / {total} ; une épreuve dispensée sort du diviseur.",
    ),
    "prog.result_decision": (
        "Admis at {passed} or more; from {low} to {passed}, with a professional average ({units}) of {pro} or more: épreuves de contrôle.",
        "Admis à partir de {passed} ; de {low} à {passed}, avec une moyenne professionnelle ({units}) d'au moins {pro} : épreuves de contrôle.",
    ),
    "prog.blocs_note": (
        "A unit graded 10 or more acquires its bloc, valid {years} years.",
        "Une épreuve notée 10 ou plus acquiert son bloc, valable {years} ans.",
    ),
    "prog.competences": ("Competences", "Compétences"),
    "prog.knowledge": ("Associated knowledge", "Savoirs associés"),
    "prog.no_programme": (
        "This curriculum has no programme section: only its exam table is available.",
        "Ce référentiel n'a pas de section programme : seul son tableau d'épreuves est disponible.",
    ),
    # -- decisions (labels; machine formats keep the codes) ---------------------
    "decision.admis": ("passed", "admis"),
    "decision.controle": ("resit orals", "contrôle"),
    "decision.ajourne": ("failed", "ajourné"),
    "decision.absent": ("absent", "absent"),
    "decision.incomplet": ("incomplete", "incomplet"),
    # -- tables ----------------------------------------------------------------
    "table.title": ("{diploma} results", "Résultats {diploma}"),
    "table.units_hidden": (
        "Unit grades hidden at this width: widen the terminal, or use --format csv or --explain ID.",
        "Notes par épreuve masquées à cette largeur : élargissez le terminal, ou utilisez --format csv ou --explain N°.",
    ),
    "md.title": ("{diploma} results", "Résultats {diploma}"),
    "col.id": ("ID", "N°"),
    "col.name": ("Name", "Nom"),
    "col.bonus": ("Bonus", "Bonus"),
    "col.average": ("Avg", "Moy."),
    "col.pro_average": ("Pro avg", "Moy. pro"),
    "col.decision": ("Decision", "Décision"),
    "col.blocs": ("Blocs", "Blocs"),
    "col.unit": ("Unit", "Épreuve"),
    "col.coefficient": ("Coef.", "Coef."),
    "col.graded": ("Graded", "Notés"),
    "col.mean": ("Mean", "Moyenne"),
    "summary.title": ("Class summary", "Bilan de la classe"),
    "summary.students": ("Students", "Candidats"),
    "summary.pass_rate": ("Pass rate (of decided)", "Taux de réussite (des décidés)"),
    "summary.mean": ("Mean average", "Moyenne des moyennes"),
    "summary.median": ("Median", "Médiane"),
    "summary.min": ("Lowest", "Plus basse"),
    "summary.max": ("Highest", "Plus haute"),
    "summary.stdev": ("Standard deviation", "Écart type"),
    "summary.unit_means": ("Mean per unit", "Moyenne par épreuve"),
    # -- --explain ---------------------------------------------------------------
    "explain.source_line": ("(line {line} of the sheet)", "(ligne {line} de la feuille)"),
    "explain.justified": (
        "ABJ: justified absence, counts {zero} × {coef}",
        "ABJ : absence justifiée, compte {zero} × {coef}",
    ),
    "explain.absent": (
        "ABS: unjustified absence, counts 0 × {coef} and rules out the diploma",
        "ABS : absence non justifiée, compte 0 × {coef} et exclut le diplôme",
    ),
    "explain.exempt": ("DISP: exempted, leaves points and divisor", "DISP : dispensé, hors points et hors diviseur"),
    "explain.missing": ("not graded yet", "pas encore notée"),
    "explain.optional": (
        "{grade}: only points above {above} count → bonus {bonus} (not multiplied, divisor unchanged)",
        "{grade} : seuls les points au-dessus de {above} comptent → bonus {bonus} (non multiplié, diviseur inchangé)",
    ),
    "explain.optional_none": ("no grade: no bonus", "pas de note : pas de bonus"),
    "explain.parts": ("from its parts: {parts}", "d'après ses parties : {parts}"),
    "explain.points": (
        "Points: {points} + bonus {bonus} = {total}",
        "Points : {points} + bonus {bonus} = {total}",
    ),
    "explain.divisor": ("Divisor (sum of coefficients): {divisor}", "Diviseur (somme des coefficients) : {divisor}"),
    "explain.average": (
        "Average: {total} / {divisor} = {exact} → {rounded} (rounded half up)",
        "Moyenne : {total} / {divisor} = {exact} → {rounded} (arrondi au plus proche, 5 vers le haut)",
    ),
    "explain.professional": (
        "Professional average ({units}, weighted): {value}",
        "Moyenne professionnelle ({units}, pondérée) : {value}",
    ),
    "explain.decision": ("Decision: {decision} — {reason}", "Décision : {decision} — {reason}"),
    "explain.blocs": ("Blocs acquired (grade ≥ 10, valid 5 years):", "Blocs acquis (note ≥ 10, valables 5 ans) :"),
    "reason.incomplet": ("no result yet: {units} not graded", "pas encore de résultat : {units} non notée(s)"),
    "reason.absent": (
        "unjustified absence at {units}: the diploma cannot be awarded (D643-24)",
        "absence non justifiée à {units} : le diplôme ne peut être délivré (D643-24)",
    ),
    "reason.admis": ("average {average} ≥ {threshold}", "moyenne {average} ≥ {threshold}"),
    "reason.controle": (
        "{low} ≤ average {average} < {threshold} and professional average {pro} ≥ {pro_min} (D643-22)",
        "{low} ≤ moyenne {average} < {threshold} et moyenne professionnelle {pro} ≥ {pro_min} (D643-22)",
    ),
    "reason.ajourne_low": ("average {average} < {low}", "moyenne {average} < {low}"),
    "reason.ajourne_pro": (
        "average {average} < {threshold} and professional average {pro} < {pro_min}",
        "moyenne {average} < {threshold} et moyenne professionnelle {pro} < {pro_min}",
    ),
}
