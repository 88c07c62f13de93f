#!/usr/bin/env python3
# Regenerates docs/diagnostics/semantic.md: one entry per code in
# compiler/diagnostics/codes_semantic.def with its summary, the message from its golden
# test in tests/diagnostics/, and the bad and fixed examples below.
# Run after changing a semantic diagnostic: python3 scripts/semantic_catalog.py
import re, glob, os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = ROOT + '/tests/diagnostics'
defs = [l for l in open(ROOT + '/compiler/diagnostics/codes_semantic.def') if l.startswith('RUBRIC_DIAGNOSTIC')]
codes = []
for l in defs:
    m = re.match(r'RUBRIC_DIAGNOSTIC\((\w+), (\w+), (\w+), "(.*)"\)', l)
    codes.append(m.groups())
# code name -> (golden file, bad, fixed)
E = {
'module_not_found': ('import stdlib.acrr', 'import stdlib.acr'),
'module_name_mismatch': ('# file: module_name_mismatch.rubric\nguideline low_back_pain "Misnamed"', '# file: module_name_mismatch.rubric\nguideline module_name_mismatch "Named after its file"'),
'import_cycle': ('# import_cycle.rubric\nimport modules.cycle_partner\n# modules/cycle_partner.rubric\nimport import_cycle', '# move what both need into a third module, e.g. modules.shared,\n# and import that from both files'),
'duplicate_definition': ('criterion persistent_pain "Pain has lasted six weeks or longer":\n  symptom_duration >= 6 weeks\n\ncriterion persistent_pain "Pain has lasted a long time":\n  symptom_duration >= 12 weeks',
   'criterion persistent_pain "Pain has lasted six weeks or longer":\n  symptom_duration >= 6 weeks\n\ncriterion long_lasting_pain "Pain has lasted a long time":\n  symptom_duration >= 12 weeks'),
'unknown_name': ('criterion long_pain "Long pain":\n  symptom_duraton >= 12 weeks', 'criterion long_pain "Long pain":\n  symptom_duration >= 12 weeks'),
'ambiguous_name': ('import modules.left_catalog\nimport modules.right_catalog\n\npatient\n  pain_side : side "Side of the pain"',
   'import modules.left_catalog\nimport modules.right_catalog\n\npatient\n  pain_side : modules.left_catalog.side "Side of the pain"'),
'module_not_imported': ('patient\n  laterality : stdlib.other.side "Side"', 'import stdlib.other\n\npatient\n  laterality : stdlib.other.side "Side"'),
'wrong_kind_of_name': ('patient\n  pain_kind : persistent_pain "Kind of pain"', 'enum pain_kind "Kind of pain"\n  mechanical "Mechanical"\n  radicular  "Radicular"\n\npatient\n  kind : pain_kind "Kind of pain"'),
'unknown_member': ('criterion infection "Signs of infection":\n  red_flags has any of {fevr, iv_drug_use}', 'criterion infection "Signs of infection":\n  red_flags has any of {fever, iv_drug_use}'),
'unknown_radiation_level': ('rate "MRI lumbar spine without IV contrast" usually not appropriate rrl rrl9', 'rate "MRI lumbar spine without IV contrast" usually not appropriate rrl O'),
'missing_radiation_scale': ('guideline missing_radiation_scale "Own catalog"\n\nprocedure knee_xray "Radiography knee"\n  adult rrl ☢', 'guideline missing_radiation_scale "Own catalog"\n  radiation stdlib.acr.relative_radiation_level\n\nprocedure knee_xray "Radiography knee"\n  adult rrl ☢'),
'too_many_members': ('enum big "Too big"\n  m0 "Member 0"\n  # … 65 members in all', '# split the enum into two of at most 64 members each'),
'invalid_range': ('level good "Good" range 9 to 7', 'level good "Good" range 7 to 9'),
'type_mismatch': ('criterion odd "Odd":\n  radiculopathy = 6 weeks', 'criterion odd "Odd":\n  radiculopathy = true'),
'duration_needs_unit': ('criterion long_pain "Long pain":\n  symptom_duration >= 6', 'criterion long_pain "Long pain":\n  symptom_duration >= 6 weeks'),
'not_a_condition': ('criterion long_pain "Long pain":\n  symptom_duration', 'criterion long_pain "Long pain":\n  symptom_duration >= 6 weeks'),
'set_operator_needs_set': ('criterion odd "Odd":\n  radiculopathy has any of {fever}', 'criterion infection "Infection":\n  red_flags has any of {fever}'),
'in_needs_enum': ('criterion infection "Infection":\n  red_flags in {fever}', 'criterion infection "Infection":\n  red_flags has any of {fever}'),
'ordering_not_allowed': ('criterion odd "Odd":\n  radiculopathy < true', 'criterion odd "Odd":\n  radiculopathy != true'),
'criterion_cycle': ('criterion a "A":\n  b and radiculopathy\n\ncriterion b "B":\n  a or persistent_pain', 'criterion a "A":\n  persistent_pain and radiculopathy\n\ncriterion b "B":\n  a or persistent_pain'),
'let_not_constant': ('let threshold = age', 'let threshold = 70 years'),
'let_cycle': ('let first_threshold = second_threshold\nlet second_threshold = first_threshold', 'let first_threshold = 6 weeks\nlet second_threshold = first_threshold'),
'known_needs_fact': ('criterion recorded "Recorded":\n  persistent_pain is known', 'criterion recorded "Recorded":\n  symptom_duration is known'),
'unknown_outside_given': ('criterion odd "Odd":\n  radiculopathy = unknown', 'criterion not_recorded "Not recorded":\n  radiculopathy is unknown'),
'unsupported_comparison': ('criterion same_flags "Same flags as before":\n  red_flags = prior_red_flags', '# compare each set with the members that matter:\ncriterion new_fever "Fever is new":\n  red_flags has any of {fever} and not prior_red_flags has any of {fever}'),
'misplaced_set': ('criterion odd "Odd":\n  red_flags = {fever}', 'criterion only_fever "Fever":\n  red_flags has all of {fever}'),
'unknown_procedure': ('rate "MRI lumbar spine without contrast" usually not appropriate', 'rate "MRI lumbar spine without IV contrast" usually not appropriate'),
'unknown_category': ('rate "MRI lumbar spine without IV contrast" usually approprate', 'rate "MRI lumbar spine without IV contrast" usually appropriate'),
'score_out_of_range': ('rate "MRI lumbar spine without IV contrast" usually appropriate score 5', 'rate "MRI lumbar spine without IV contrast" usually appropriate score 8'),
'rrl_mismatch': ('rate "CT lumbar spine without IV contrast" usually not appropriate rrl ☢', 'rate "CT lumbar spine without IV contrast" usually not appropriate rrl ☢☢☢'),
'duplicate_rating': ('rate "MRI lumbar spine without IV contrast" usually not appropriate\nrate mri_lumbar_without usually appropriate', 'rate "MRI lumbar spine without IV contrast" usually not appropriate'),
'duplicate_variant': ('variant 1 "Short pain"\n  when not persistent_pain\n…\nvariant 1 "Any patient"', 'variant 1 "Short pain"\n  when not persistent_pain\n…\nvariant 2 "Any patient"'),
'unknown_variant': ('next 9 when radiculopathy "Radiculopathy appears"', 'next 2 when radiculopathy "Radiculopathy appears"'),
'incomplete_order': ('select first in order 3, 1, 3      # variants 1, 2 and 3 exist', 'select first in order 3, 1, 2'),
'multiple_otherwise': ('otherwise "Nothing applies"\n  advise "Reassess."\n\notherwise "Still nothing"\n  advise "Reassess again."', 'otherwise "Nothing applies"\n  advise "Reassess."'),
'missing_scale': ('guideline missing_scale "No scale"\n\nimport stdlib.acr\nimport stdlib.spine', 'guideline missing_scale "No scale"\n  scale stdlib.acr.appropriateness\n\nimport stdlib.acr\nimport stdlib.spine'),
'given_type_mismatch': ('given age = 55, symptom_duration = 8 weeks', 'given age = 55 years, symptom_duration = 8 weeks'),
'duplicate_given': ('given age = 55 years, symptom_duration = 8 weeks, age = 56 years', 'given age = 55 years, symptom_duration = 8 weeks'),
'outcomes_in_library': ('library outcomes_in_library "A library with a variant"\n\nvariant 1 "Everyone"', 'guideline outcomes_in_library "A guideline with a variant"\n\nvariant 1 "Everyone"'),
}
golden = {}
for f in glob.glob(D + '/*.expected'):
    t = open(f, errors='replace').read()
    for m in re.finditer(r'error\[(R\d+)\]', t):
        golden.setdefault(m.group(1), os.path.basename(f)[:-9])
out = ['# Semantic diagnostics (R02xx–R04xx)', '',
 'Modules and names (R02xx), types and units (R03xx), ratings, variants, outcomes and',
 'examples (R04xx). Each entry gives the summary, an example of the message, a bad',
 'and a fixed example, and the golden test in `tests/diagnostics/` that shows the',
 'full rendered output. All are errors: a guideline with any of them compiles to no',
 'graph. The rules are explained in [the semantics part of language.md](../language.md#semantics-modules-names-types-units-and-selection).', '']
for code, name, sev, summary in codes:
    bad, fixed = E[name]
    g = name if os.path.exists(f'{D}/{name}.expected') else golden.get(code)
    msg = ''
    if g:
        for line in open(f'{D}/{g}.expected', errors='replace'):
            if f'[{code}]' in line:
                msg = line.split(': ', 2)[2].strip() if line.count(': ') >= 2 else line.strip()
                break
    out += [f'## {code} `{name}`', '', summary[0].upper() + summary[1:] + '.', '']
    if msg: out += [f'Example message: {msg}', '']
    out += ['Bad:', '', '```', bad, '```', '', 'Fixed:', '', '```', fixed, '```', '']
    out += [f'Golden test: `tests/diagnostics/{g}.rubric`' if g else 'Golden test: none', '']
open(ROOT + '/docs/diagnostics/semantic.md', 'w').write('\n'.join(out))
missing = [c for c,*_ in codes if c not in golden]
print(f'{len(codes)} codes written; without a golden test: {missing or "none"}')
