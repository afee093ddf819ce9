#!/usr/bin/env python3
"""validate.py - check fukkyu's case exports against VERIS 1.4 and STIX 2.1.

    python3 tests/export/validate.py veris FILE [--schemas DIR] [--strict]
    python3 tests/export/validate.py stix  FILE [--schemas DIR] [--strict]

DIR holds veris/verisc-merged.json and stix21/schemas/... It defaults to $FK_SCHEMAS, else
tests/data/schemas of this repository (copies of the upstream schemas with their licences:
VERIS CC BY-SA 4.0, STIX BSD-3-Clause; see each SOURCE.txt).

Output: one line per error on stdout, "FILE: <json path>: <message>"; warnings (rules the
upstream checkers mark as recommendations only) go to stderr as
"FILE: <json path>: warning: <message>" and fail the run only with --strict.
Exit status: 0 valid ("ok: FILE (veris)" / "ok: FILE (stix: N objects)"), 1 invalid,
2 usage error or unreadable file/schema.

Needs only the standard library and python3-jsonschema; written against the API common to
4.10.3 (Debian 12) and 4.26 (validator classes + RefResolver with a local store, whose
DeprecationWarnings are silenced). Never touches the network: every $ref resolves from the
store built from the schema files, and an unknown $ref is an error, not a download.
"""

import argparse
import datetime
import json
import os
import re
import sys
import warnings
from urllib.parse import urljoin

warnings.filterwarnings("ignore", category=DeprecationWarning)

try:
    import jsonschema
    from jsonschema import Draft4Validator, Draft202012Validator
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
except ImportError:  # pragma: no cover - environment problem, not a validation result
    sys.stderr.write("validate.py: python3-jsonschema is not installed\n")
    sys.exit(2)

# jsonschema >= 4.18 warns on RefResolver (module __getattr__); the filter above hides it.
RefResolver = jsonschema.RefResolver

USAGE_EXIT = 2


class UsageError(Exception):
    """Unreadable input or schema: exit 2."""


# --------------------------------------------------------------------------------------------
# common helpers


def json_path(parts):
    """['objects', 3, 'name'] -> $.objects[3].name (bracket-quoted when not an identifier)."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", p):
            out += "." + p
        else:
            out += "[%s]" % json.dumps(p, ensure_ascii=False)
    return out


def shorten(msg, limit=300):
    msg = " ".join(msg.split())
    return msg if len(msg) <= limit else msg[: limit - 1] + "\u2026"


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % name)


def load_json(path, what):
    """Load a JSON file; duplicate object keys are collected, not silently merged."""
    dups = []

    def pairs(items):
        obj = {}
        for k, v in items:
            if k in obj:
                dups.append(k)
            obj[k] = v
        return obj

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8-sig")
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_reject_constant)
    except OSError as e:
        raise UsageError("cannot read %s %s: %s" % (what, path, e.strerror or e))
    except UnicodeDecodeError as e:
        raise UsageError("%s %s is not UTF-8: %s" % (what, path, e))
    except ValueError as e:
        raise UsageError("%s %s is not valid JSON: %s" % (what, path, e))
    return data, dups


def _no_network(uri):
    raise jsonschema.RefResolutionError("%s is not in the local schema store" % uri)


def make_validator(schema, base, store, default):
    """Validator for the draft named by $schema, resolving $refs from store only."""
    cls = validator_for(schema, default=default)
    resolver = RefResolver(base_uri=base, referrer=schema, store=store,
                           handlers={"http": _no_network, "https": _no_network,
                                     "file": _no_network})
    return cls(schema, resolver=resolver)


def schema_errors(validator, instance, prefix=()):
    """(path, message) for every schema error, sorted by path for stable output."""
    out = []
    for e in validator.iter_errors(instance):
        msg = e.message
        if e.context:  # oneOf/anyOf: name the closest branch's complaint too
            bm = best_match(e.context)
            if bm is not None:
                msg = "%s [closest: %s: %s]" % (
                    shorten(msg, 160),
                    json_path(list(prefix) + list(bm.absolute_path)),
                    shorten(bm.message, 160),
                )
        out.append((json_path(list(prefix) + list(e.absolute_path)), shorten(msg)))
    out.sort(key=lambda pm: pm[0])
    return out


def as_list(x):
    return x if isinstance(x, list) else []


def as_dict(x):
    return x if isinstance(x, dict) else {}


def dig(d, *keys):
    """d[k1][k2]... or None when any step is missing or not an object."""
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def strs(x):
    return [v for v in as_list(x) if isinstance(v, str)]


def num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else 0


# --------------------------------------------------------------------------------------------
# VERIS 1.4 (verisc-merged.json, draft-04) + the business rules of the official tooling
#
# Sources (read through the public code index, cited per rule below):
#   [CV]  vz-risk/veris  bin/checkValidity.py   (commit 2d751f57) - the official checker
#   [RU]  vz-risk/veris  bin/rules.py           (commits 00da045b, 0c7e8d33) - enrichment
#         rules whose output checkValidity expects (a record lacking them is incomplete)
#   [C33] vz-risk/veris  bin/convert_1.3.2_to_1.3.3.py; [C36] bin/convert_1.3.5_to_1.3.6.py
#         (hierarchical enumerations, VERIS issues #232 #263 #271 #383)
#   [VL]  vz-risk/VCDB   .claude/skills/encode-veris-incident/scripts/validate.py
#         (commit dfe9dd70) - VCDB's current lint, which ports the rules above to the 1.4
#         enumerations; its VCDB-only submission policies (schema_name/source_id "vcdb",
#         analyst_notes wording, "no value_chain") are deliberately NOT applied here.

VERIS_ACTIONS = ("hacking", "malware", "social", "misuse", "physical", "error", "environmental")

# [VL] (19), after [RU] exploit_varieties (VERIS issue #192), with 1.4 names (MitM -> AitM).
HACK_EXPLOIT_VARIETIES = {
    "Abuse of functionality", "Buffer overflow", "Cache poisoning", "Cryptanalysis", "CSRF",
    "Forced browsing", "Format string attack", "Fuzz testing", "HTTP request smuggling",
    "HTTP request splitting", "HTTP response smuggling", "HTTP response splitting",
    "Insecure deserialization", "Integer overflows", "LDAP injection", "Mail command injection",
    "AitM", "Null byte injection", "OS commanding", "Path traversal", "Reverse engineering",
    "RFI", "Routing detour", "Session fixation", "Session prediction", "Session replay",
    "Soap array abuse", "Special element injection", "SQLi", "SSI injection",
    "URL redirector abuse", "User breakout", "Virtual machine escape", "XML attribute blowup",
    "XML entity expansion", "XML external entities", "XML injection", "XPath injection",
    "XQuery injection", "XSS",
}

# [CV] checkRegion (VERIS issue #180)
REGIONS = {
    "002": ["011", "014", "017", "018", "015", "000"],  # Africa
    "010": ["000"],  # Antarctica
    "019": ["021", "005", "013", "029", "419", "000"],  # America
    "419": ["005", "013", "029"],  # Latin America and Caribbean
    "142": ["030", "034", "035", "143", "145", "000"],  # Asia
    "150": ["039", "151", "154", "830", "155", "000"],  # Europe
    "009": ["053", "054", "057", "061", "000"],  # Oceania
    "000": ["000"],  # Unknown
}
NON_USED_REGIONS = {"001": "000", "020": "002", "003": "019"}

DATA_ABUSE_YES = {"Yes", "Yes - Data ransomed", "Yes - Identity theft", "Yes - Financial fraud",
                  "Yes - Posted on personal forum"}


def _date_of(year, month, day):
    """date from VERIS y/m/d (missing month/day = 1), or raise ValueError/TypeError."""
    return datetime.date(year, month if month else 1, day if day else 1)


def veris_rules(inc, today=None):
    """Business rules beyond the schema. Returns (errors, warnings) as (path, message)."""
    errs, warns = [], []
    if not isinstance(inc, dict):
        return errs, warns
    today = today or datetime.date.today()

    def err(path, msg):
        errs.append((json_path(path), msg))

    def warn(path, msg):
        warns.append((json_path(path), msg))

    action = as_dict(inc.get("action"))
    actor = as_dict(inc.get("actor"))
    attribute = as_dict(inc.get("attribute"))
    conf = as_dict(attribute.get("confidentiality"))
    integrity = strs(dig(attribute, "integrity", "variety"))
    availability = strs(dig(attribute, "availability", "variety"))
    assets = [as_dict(a).get("variety") for a in as_list(dig(inc, "asset", "assets"))]
    hack_variety = strs(dig(action, "hacking", "variety"))
    hack_vector = strs(dig(action, "hacking", "vector"))
    mal_variety = strs(dig(action, "malware", "variety"))
    mal_vector = strs(dig(action, "malware", "vector"))
    soc_variety = strs(dig(action, "social", "variety"))
    soc_vector = strs(dig(action, "social", "vector"))
    soc_target = strs(dig(action, "social", "target"))
    value_chain = as_dict(inc.get("value_chain"))

    def vc(stage):
        return strs(dig(value_chain, stage, "variety"))

    IV = ["attribute", "integrity", "variety"]
    AV = ["attribute", "availability", "variety"]

    # ---- [CV] checkMalwareIntegrity; also [RU] addRules, [VL] (12)
    if "malware" in action and "Software installation" not in integrity:
        err(IV, "action.malware present, but 'Software installation' not in "
                "attribute.integrity.variety")
    # ---- [CV] checkSocialIntegrity; also [RU], [VL] (1)
    if "social" in action and "Alter behavior" not in integrity:
        err(IV, "action.social present, but 'Alter behavior' not in attribute.integrity.variety")
    # ---- [RU] addRules "the target of social engineering is one of the affected assets"
    #      (schema_version > 1.3: every action.social.target T needs asset 'P - T');
    #      [VL] (2) asks for at least one 'P - ' asset.
    if "social" in action:
        if not any(isinstance(a, str) and a.startswith("P - ") for a in assets):
            err(["asset", "assets"], "action.social present, but no 'P - ' (people) asset in "
                                     "asset.assets")
        for t in soc_target:
            if "P - " + t not in assets:
                err(["asset", "assets"], "action.social.target '%s' needs asset.assets variety "
                                         "'P - %s'" % (t, t))
    # ---- [CV] checkSQLiRepurpose; also [RU], [VL] (14)
    if "SQLi" in hack_variety and "Repurpose" not in integrity:
        err(IV, "action.hacking.variety 'SQLi' present, but 'Repurpose' not in "
                "attribute.integrity.variety")
    # ---- [CV] checkSecurityIncident
    if "security_incident" not in inc:
        err([], "security_incident not in incident")
    elif inc.get("security_incident") == "Confirmed" and "attribute" not in inc:
        err(["attribute"], "security_incident 'Confirmed', but the attribute section is missing")
    # ---- [CV] checkLossTheftAvailability; also [RU], [VL] (15)
    if ("Theft" in strs(dig(action, "physical", "variety"))
            or "Loss" in strs(dig(action, "error", "variety"))) and "Loss" not in availability:
        err(AV, "action.physical.variety 'Theft' or action.error.variety 'Loss' present, but "
                "'Loss' not in attribute.availability.variety")
    # ---- [CV] checkPlusAttributeConsistency; also [VL] (8b)
    if dig(inc, "plus", "attribute", "confidentiality") is not None and "confidentiality" \
            not in attribute:
        err(["plus", "attribute", "confidentiality"],
            "plus.attribute.confidentiality present, but confidentiality is not an affected "
            "attribute")

    # ---- [CV] checkYear: dates must exist and not lie in the future; notification (plus.
    #      timeline.notification) not before the incident. Upstream runs these only when
    #      plus.dbir_year is set; they are plain consistency, so here they always run.
    tinc = as_dict(dig(inc, "timeline", "incident"))
    iyear, imonth, iday = tinc.get("year"), tinc.get("month"), tinc.get("day")
    notif = as_dict(dig(inc, "plus", "timeline", "notification"))
    nyear, nmonth, nday = notif.get("year"), notif.get("month"), notif.get("day")
    idate = ndate = None
    if isinstance(iyear, int):
        try:
            idate = _date_of(iyear, imonth, iday)
        except (ValueError, TypeError) as e:
            err(["timeline", "incident"], "problem with incident date: %s" % e)
        if idate and idate > today:
            err(["timeline", "incident"],
                "incident date %s is later than today's date %s" % (idate, today))
    if isinstance(nyear, int):
        try:
            ndate = _date_of(nyear, nmonth, nday)
        except (ValueError, TypeError) as e:
            err(["plus", "timeline", "notification"], "problem with notification date: %s" % e)
        if ndate and ndate > today:
            err(["plus", "timeline", "notification"],
                "notification date %s is later than today's date %s" % (ndate, today))
    if idate and ndate and idate > ndate:
        err(["plus", "timeline", "notification"],
            "notification date %s is earlier than incident date %s (may be due to incomplete "
            "dates)" % (ndate, idate))
    # [CV] checkYear, DBIR window (only with plus.dbir_year): DBIR year N covers
    # Nov 1 (N-2) .. Oct 31 (N-1). "Too late" is an error in both [CV] and [VL] (11);
    # "too early" is an error in [CV] but legitimate in [VL] (late discovery), so a warning.
    # [CV] reads timeline.discovered.unit, a key the schema does not have; timeline.discovery
    # is used here, and its 2-years-back branch (inverted upstream) is read as "discovery
    # took Months/Years makes an earlier start plausible", like its older-years branch.
    dbir_year = dig(inc, "plus", "dbir_year")
    tyear, tmonth, source = (nyear, nmonth, "notification") if isinstance(nyear, int) else \
        (iyear, imonth, "incident")
    if isinstance(dbir_year, int) and not isinstance(dbir_year, bool) and isinstance(tyear, int):
        disc = dig(inc, "timeline", "discovery", "unit") or "(no discovery unit)"
        window = "DBIR year %d (from %s date) runs from Nov 1, %d to Oct 31, %d" % (
            dbir_year, source, dbir_year - 2, dbir_year - 1)
        tm = tmonth if isinstance(tmonth, int) else None
        if tyear >= dbir_year or (tyear == dbir_year - 1 and tm is not None and tm > 10):
            err(["plus", "dbir_year"], "%s; year %s month %s is too late for it" % (
                window, tyear, tm))
        elif tyear == dbir_year - 2 and tm is not None and tm < 11 and disc not in (
                "Months", "Years"):
            warn(["plus", "dbir_year"], "%s; year %s month %s with discovery unit %s is before "
                                        "it" % (window, tyear, tm, disc))
        elif tyear < dbir_year - 2 and disc != "Years":
            warn(["plus", "dbir_year"], "%s; year %s with discovery unit %s is before it" % (
                window, tyear, disc))

    # ---- [CV] checkImpactTotal (VERIS issue #142); [VL] (18)
    impact = as_dict(inc.get("impact"))
    if "loss" in impact:
        total = sum(num(as_dict(l).get("amount")) for l in as_list(impact["loss"]))
        if total > num(impact.get("overall_amount")):
            err(["impact", "overall_amount"],
                "the amounts in impact.loss sum to %s, but impact.overall_amount is %s; it "
                "should be at least the sum of the losses" % (
                    total, impact.get("overall_amount", "not present")))
    # ---- [CV] checkDataTotal (VERIS issue #143); [VL] (18)
    if "data" in conf and as_list(conf["data"]):
        biggest = max(num(as_dict(d).get("amount")) for d in as_list(conf["data"]))
        if biggest > num(conf.get("data_total")):
            err(["attribute", "confidentiality", "data_total"],
                "the largest attribute.confidentiality.data[].amount is %s, but data_total is "
                "%s; it should be at least that" % (biggest, conf.get("data_total",
                                                                      "not present")))
    # ---- [CV] checkMisuseActor (VERIS issue #229)
    if "misuse" in action and "internal" not in actor and "partner" not in actor:
        err(["actor"], "action.misuse present, but no internal or partner actor (VERIS issue "
                       "#229)")
    # ---- [CV] checkRegion (VERIS issue #180)
    for i, region in enumerate(as_list(dig(inc, "victim", "region"))):
        p = ["victim", "region", i]
        if not isinstance(region, str) or len(region) != 6:
            err(p, "victim.region %r is not a six-character string" % (region,))
            continue
        sup, sub = region[:3], region[3:]
        if sup in NON_USED_REGIONS:
            err(p, "region %s: replace its first half '%s' with '%s'" % (
                region, sup, NON_USED_REGIONS[sup]))
        elif sub not in REGIONS.get(sup, []):
            if sup in REGIONS:
                err(p, "victim.region second half '%s' does not match first half '%s'; use one "
                       "of %s" % (sub, sup, ", ".join(REGIONS[sup])))
            else:
                err(p, "victim.region %s: '%s' is not a super region" % (region, sup))
    # ---- [CV] checkSecondaryVictimAmount (VERIS issue #407); [VL] (18)
    sec = as_dict(dig(inc, "victim", "secondary"))
    if len(as_list(sec.get("victim_id"))) > num(sec.get("amount")):
        err(["victim", "secondary", "amount"],
            "victim.secondary.victim_id lists %d victims, but victim.secondary.amount is less "
            "or missing" % len(as_list(sec.get("victim_id"))))

    # ---- [CV] checkValueChain (VERIS issue #400): enrichments are errors, the lines the
    #      checker itself calls "recommendation" are warnings.
    VC = ["value_chain"]
    if "Phishing" in soc_variety:
        if "Email" not in vc("development"):
            err(VC, "action.social.variety 'Phishing' needs value_chain.development.variety "
                    "'Email'")
        if "Email addresses" not in vc("targeting"):
            err(VC, "action.social.variety 'Phishing' needs value_chain.targeting.variety "
                    "'Email addresses'")
    if "C2" in mal_vector and "C2" not in vc("non-distribution services"):
        err(VC, "action.malware.vector 'C2' needs value_chain['non-distribution services']"
                ".variety 'C2'")
    if "Ransomware" in mal_variety:
        if "Cryptocurrency" not in vc("cash-out"):
            err(VC, "action.malware.variety 'Ransomware' needs value_chain['cash-out'].variety "
                    "'Cryptocurrency'")
        if "Ransomware" not in vc("development"):
            warn(VC, "action.malware.variety 'Ransomware': consider value_chain.development"
                     ".variety 'Ransomware'")
    if "Email" in soc_vector:
        if "Email" not in vc("distribution"):
            err(VC, "action.social.vector 'Email' needs value_chain.distribution.variety "
                    "'Email'")
        if "Email addresses" not in vc("targeting"):
            warn(VC, "action.social.vector 'Email': consider value_chain.targeting.variety "
                     "'Email addresses'")
    recs = [
        ("malware" in action and not vc("development"),
         "a malware action: consider a value_chain.development variety, even 'Unknown'"),
        ("Trojan" in mal_variety and "Trojan" not in vc("development"),
         "action.malware.variety 'Trojan': consider value_chain.development.variety 'Trojan'"),
        ("Pretexting" in soc_variety and "Persona" not in vc("development"),
         "action.social.variety 'Pretexting': consider value_chain.development.variety "
         "'Persona'"),
        ("Use of stolen creds" in hack_variety
         and "Lost or stolen credentials" not in vc("targeting"),
         "action.hacking.variety 'Use of stolen creds': consider value_chain.targeting.variety "
         "'Lost or stolen credentials' (only if the creds were not stolen mid-attack)"),
        ("Exploit vuln" in hack_variety and "Vulnerabilities" not in vc("targeting"),
         "action.hacking.variety 'Exploit vuln': consider value_chain.targeting.variety "
         "'Vulnerabilities'"),
        ("Exploit vuln" in hack_variety and "Exploit" not in vc("development"),
         "action.hacking.variety 'Exploit vuln': consider value_chain.development.variety "
         "'Exploit'"),
        ("Downloader" in mal_variety and "Loader" not in vc("distribution"),
         "action.malware.variety 'Downloader': consider value_chain.distribution.variety "
         "'Loader'"),
        (("Exploit misconfig" in hack_variety or "Exploit misconfig" in mal_variety)
         and "Misconfigurations" not in vc("targeting"),
         "'Exploit misconfig': consider value_chain.targeting.variety 'Misconfigurations'"),
        (("Web application" in mal_vector or "Web application" in soc_vector)
         and "Website" not in vc("development"),
         "malware/social vector 'Web application': consider value_chain.development.variety "
         "'Website'"),
    ]
    for cond, msg in recs:
        if cond:
            warn(VC, msg)

    # ---- [RU] addRules: hacking vector 'Web application' => asset 'S - Web application';
    #      [VL] (16)
    if "Web application" in hack_vector and "S - Web application" not in assets:
        err(["asset", "assets"], "action.hacking.vector 'Web application' needs asset.assets "
                                 "variety 'S - Web application'")
    # ---- [C36] VERIS issue #271, [VL] (17): malware DoS => motive 'Secondary' on the first
    #      populated actor of external, partner, internal ([C36] order).
    if "DoS" in mal_variety:
        for who in ("external", "partner", "internal"):
            if who in actor:
                if "Secondary" not in strs(dig(actor, who, "motive")):
                    err(["actor", who, "motive"], "action.malware.variety 'DoS' needs "
                                                  "actor.%s.motive 'Secondary'" % who)
                break
    # ---- [VL] (13), adapted: ransomware => availability 'Obscuration'. ([VL] also asks for
    #      integrity 'Interruption', which is not an integrity value in 1.4.1: skipped.)
    if "Ransomware" in mal_variety and "Obscuration" not in availability:
        err(AV, "action.malware.variety 'Ransomware' needs attribute.availability.variety "
                "'Obscuration'")

    # ---- hierarchical enumerations: a child value needs its parent value.
    def parent(path, values, children, par, src):
        present = [c for c in children if c in values]
        if present and par not in values:
            err(path, "%s has %s but not the parent '%s' (%s)" % (
                ".".join(str(p) for p in path),
                "/".join("'%s'" % c for c in present), par, src))

    cstate = strs(conf.get("state"))
    CS = ["attribute", "confidentiality", "state"]
    parent(CS, cstate, ("Stored encrypted", "Stored unencrypted"), "Stored", "VERIS #195")
    parent(CS, cstate, ("Transmitted encrypted", "Transmitted unencrypted"), "Transmitted",
           "VERIS #195")
    MV, MVE = ["action", "malware", "variety"], ["action", "malware", "vector"]
    parent(MV, mal_variety, ("Click fraud", "Cryptocurrency mining"),
           "Click fraud and cryptocurrency mining", "VERIS #203")
    parent(MV, mal_variety, ("Backdoor", "C2"), "Backdoor or C2", "VERIS #383")
    if "Backdoor" in mal_variety and "Trojan" in mal_variety and "RAT" not in mal_variety:
        err(MV, "action.malware.variety has 'Backdoor' and 'Trojan' but not 'RAT'")
    if "RAT" in mal_variety:
        for c in ("Backdoor", "Trojan"):
            if c not in mal_variety:
                err(MV, "action.malware.variety has 'RAT' but not '%s'" % c)
    parent(MVE, mal_vector, ("Web application - download", "Web application - drive-by"),
           "Web application", "VERIS 1.4")
    parent(MVE, mal_vector, ("Email attachment", "Email autoexecute", "Email link",
                             "Email other", "Email unknown"), "Email", "VERIS #232")
    if HACK_EXPLOIT_VARIETIES.intersection(hack_variety) and "Exploit vuln" not in hack_variety:
        err(["action", "hacking", "variety"],
            "action.hacking.variety has an exploit variety (%s) but not the parent "
            "'Exploit vuln' (VERIS #192)" % ", ".join(
                sorted(HACK_EXPLOIT_VARIETIES.intersection(hack_variety))))
    parent(["asset", "assets"], assets, ("U - Desktop", "U - Laptop"), "U - Desktop or laptop",
           "VERIS #263")
    parent(["action", "social", "target"], soc_target, ("End-user", "Other employee"),
           "End-user or employee", "VERIS 1.4")
    dvar = [as_dict(d).get("variety") for d in as_list(conf.get("data"))]
    CD = ["attribute", "confidentiality", "data"]
    parent(CD, dvar, ("Medical", "Sensitive Personal", "Bank", "Payment"), "Personal",
           "VERIS 1.4")
    parent(CD, dvar, ("API key", "Digital certificate", "Multi-factor credential",
                      "Session key"), "Credentials", "VERIS 1.4")
    parent(IV, integrity, ("Register MFA device", "Created account"), "Modify authentication",
           "VERIS 1.4")

    # ---- confidentiality consistency, [VL] (3) (9) (10)
    disclosure = conf.get("data_disclosure")
    if disclosure == "Yes" and not as_list(conf.get("data")):
        err(CD, "data_disclosure 'Yes', but attribute.confidentiality.data is empty")
    abuse = dig(inc, "plus", "attribute", "confidentiality", "data_abuse")
    if abuse in DATA_ABUSE_YES and disclosure != "Yes":
        err(["attribute", "confidentiality", "data_disclosure"],
            "plus.attribute.confidentiality.data_abuse '%s' implies disclosure, but "
            "data_disclosure is not 'Yes'" % abuse)
    exfil = [a for a in VERIS_ACTIONS if "Exfiltrate" in strs(dig(action, a, "result"))]
    if exfil and disclosure not in ("Yes", "Potentially"):
        err(["attribute", "confidentiality", "data_disclosure"],
            "action.%s.result 'Exfiltrate' implies data_disclosure 'Yes' or 'Potentially'"
            % exfil[0])
    # [VL] (3b): a VCDB coding rule, kept as a warning
    if as_list(conf.get("data")) and not cstate:
        warn(CS, "attribute.confidentiality.data is set but confidentiality.state is missing")
    # [VL] (W1)
    if inc.get("confidence") == "High":
        def all_unknown(vals):
            vals = [v for v in vals if isinstance(v, str) and v]
            return bool(vals) and all(v.endswith("Unknown") for v in vals)
        actor_v = [v for b in actor.values() for v in strs(as_dict(b).get("variety"))]
        action_v = [v for b in action.values() for v in strs(as_dict(b).get("variety"))]
        if sum([all_unknown(actor_v), all_unknown(action_v), all_unknown(assets)]) >= 2:
            warn(["confidence"], "confidence 'High' but 2+ of actor/action/asset are entirely "
                                 "Unknown")
    return errs, warns


def run_veris(path, schema_dir):
    schema_file = os.path.join(schema_dir, "veris", "verisc-merged.json")
    schema, _ = load_json(schema_file, "schema")
    inc, dups = load_json(path, "VERIS file")
    base = "http://fukkyu.invalid/schemas/veris/verisc-merged.json"
    validator = make_validator(schema, base, {base: schema}, Draft4Validator)
    errors = [("$", "duplicate object key '%s'" % k) for k in dups]
    errors += schema_errors(validator, inc)
    rule_errs, warns = veris_rules(inc)
    return errors + rule_errs, warns, "veris"


# --------------------------------------------------------------------------------------------
# STIX 2.1 (oasis-open/cti-stix2-json-schemas, draft 2020-12)

UUID_RE = (r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}"
           r"-[0-9a-fA-F]{12}")
ID_RE = re.compile(r"^([a-z][a-z0-9-]+[a-z0-9])--(" + UUID_RE + r")$")
TS_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$")
INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

# STIX 2.1 section 7.2.1.4: the four TLP marking-definition objects are predefined, so a
# bundle may mark with them without carrying them.
TLP_MARKINGS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",  # TLP:GREEN
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",  # TLP:AMBER
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",  # TLP:RED
}

SDO_SRO_COMMON = ("marking-definition", "extension-definition", "language-content")
SCO_TYPES = {"artifact", "autonomous-system", "directory", "domain-name", "email-addr",
             "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
             "network-traffic", "process", "software", "url", "user-account",
             "windows-registry-key", "x509-certificate"}
NOT_SDO = {"relationship", "sighting", "marking-definition", "extension-definition",
           "language-content", "bundle"}

# Which object types a reference property may name (STIX 2.1 spec, property tables of
# sections 3-6; the upstream README lists these as checks the schemas do not make).
# Keys: (object type or "*", property); values: allowed types, or a callable.
ANY_SDO_OR_SCO = lambda t: t not in NOT_SDO  # noqa: E731
REF_TYPES = {
    ("*", "created_by_ref"): {"identity"},
    ("*", "object_marking_refs"): {"marking-definition"},
    ("*", "marking_ref"): {"marking-definition"},
    ("relationship", "source_ref"): ANY_SDO_OR_SCO,
    ("relationship", "target_ref"): ANY_SDO_OR_SCO,
    ("sighting", "sighting_of_ref"): lambda t: t not in NOT_SDO and t not in SCO_TYPES,
    ("sighting", "observed_data_refs"): {"observed-data"},
    ("sighting", "where_sighted_refs"): {"identity", "location"},
    ("observed-data", "object_refs"): lambda t: t in SCO_TYPES or t == "relationship",
    ("malware-analysis", "analysis_sco_refs"): lambda t: t in SCO_TYPES,
    ("malware", "sample_refs"): {"file", "artifact"},
    ("malware-analysis", "sample_ref"): {"file", "network-traffic", "artifact"},
    ("malware-analysis", "host_vm_ref"): {"software"},
    ("malware-analysis", "operating_system_ref"): {"software"},
    ("malware-analysis", "installed_software_refs"): {"software"},
    ("malware", "operating_system_refs"): {"software"},
    ("email-message", "from_ref"): {"email-addr"},
    ("email-message", "sender_ref"): {"email-addr"},
    ("email-message", "to_refs"): {"email-addr"},
    ("email-message", "cc_refs"): {"email-addr"},
    ("email-message", "bcc_refs"): {"email-addr"},
    ("email-message", "raw_email_ref"): {"artifact"},
    ("email-message", "body_raw_ref"): {"artifact", "file"},
    ("email-addr", "belongs_to_ref"): {"user-account"},
    ("file", "parent_directory_ref"): {"directory"},
    ("file", "content_ref"): {"artifact"},
    ("directory", "contains_refs"): {"file", "directory"},
    ("domain-name", "resolves_to_refs"): {"ipv4-addr", "ipv6-addr", "domain-name"},
    ("ipv4-addr", "resolves_to_refs"): {"mac-addr"},
    ("ipv4-addr", "belongs_to_refs"): {"autonomous-system"},
    ("ipv6-addr", "resolves_to_refs"): {"mac-addr"},
    ("ipv6-addr", "belongs_to_refs"): {"autonomous-system"},
    ("network-traffic", "src_ref"): {"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"},
    ("network-traffic", "dst_ref"): {"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"},
    ("network-traffic", "src_payload_ref"): {"artifact"},
    ("network-traffic", "dst_payload_ref"): {"artifact"},
    ("network-traffic", "encapsulates_refs"): {"network-traffic"},
    ("network-traffic", "encapsulated_by_ref"): {"network-traffic"},
    ("process", "opened_connection_refs"): {"network-traffic"},
    ("process", "creator_user_ref"): {"user-account"},
    ("process", "image_ref"): {"file"},
    ("process", "parent_ref"): {"process"},
    ("process", "child_refs"): {"process"},
    ("windows-registry-key", "creator_user_ref"): {"user-account"},
    # Incident Core Extension v2.0 (draft): impact_refs, event_ref, task_ref
    ("incident", "impact_refs"): {"impact"},
    ("incident", "event_ref"): {"event"},
    ("incident", "task_ref"): {"task"},
}


def ts_key(value):
    """Sortable key of a STIX timestamp, or None if it is not one (the schema says why)."""
    if not isinstance(value, str):
        return None
    m = TS_RE.match(value)
    if not m:
        return None
    try:
        base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    frac = (m.group(2) or "").ljust(12, "0")
    return (base, frac)


class StixSchemas:
    """Validators for the STIX schema files, all $refs resolved from a local store."""

    def __init__(self, schema_dir):
        self.root = os.path.join(schema_dir, "stix21", "schemas")
        if not os.path.isdir(self.root):
            raise UsageError("no STIX schemas at %s" % self.root)
        self.store = {}
        self.by_path = {}
        for sub in ("common", "sdos", "sros", "observables"):
            d = os.path.join(self.root, sub)
            if not os.path.isdir(d):
                raise UsageError("no STIX schemas at %s" % d)
            for name in sorted(os.listdir(d)):
                if name.endswith(".json"):
                    s, _ = load_json(os.path.join(d, name), "schema")
                    sid = s.get("$id") or "http://fukkyu.invalid/schemas/%s/%s" % (sub, name)
                    s = absolutize(s, sid)
                    self.by_path[sub + "/" + name] = (s, sid)
                    self.store[sid] = s
                    # the incident-core extension refers to the https spelling
                    if sid.startswith("http://"):
                        self.store["https://" + sid[len("http://"):]] = s
        self.validators = {}
        self.ext_validator = None
        ext = os.path.join(schema_dir, "stix21", "extensions", "incident-core",
                           INCIDENT_CORE + ".json")
        if os.path.isfile(ext):
            s, _ = load_json(ext, "schema")
            # its $id duplicates incident_core.json's upstream (see its SOURCE.txt): give it
            # a base of its own (hierarchical, so that "#/definitions/..." joins onto it).
            s = dict(s)
            s.pop("$id", None)
            base = "http://fukkyu.invalid/schemas/incident-core-extension.json"
            self.ext_validator = self._make(absolutize(s, base), base)

    def _make(self, schema, base):
        return make_validator(schema, base, self.store, Draft202012Validator)

    def schema_for(self, otype):
        for rel in ("sdos/%s.json", "sros/%s.json", "observables/%s.json"):
            if rel % otype in self.by_path:
                return rel % otype
        if otype in SDO_SRO_COMMON and "common/%s.json" % otype in self.by_path:
            return "common/%s.json" % otype
        return None

    def validator(self, rel):
        if rel not in self.validators:
            self.validators[rel] = self._make(*self.by_path[rel])
        return self.validators[rel]


def absolutize(node, base):
    """Copy of a schema with every $ref made absolute against its document's URI.

    jsonschema >= 4.18 keeps RefResolver only for compatibility, and its scope stack leaks
    across $refs between documents that carry $id (a relative "#/definitions/..." is then
    joined onto the wrong document). Absolute $refs do not depend on that stack, so they
    resolve the same way under 4.10 and 4.26."""
    if isinstance(node, dict):
        sid = node.get("$id")
        if isinstance(sid, str):
            base = urljoin(base, sid)
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out[k] = urljoin(base, v)
            else:
                out[k] = absolutize(v, base)
        return out
    if isinstance(node, list):
        return [absolutize(v, base) for v in node]
    return node


def collect_refs(node, path, out, skip_embedded=False):
    """(path, property, value) for every *_ref / *_refs property, at any depth."""
    if isinstance(node, dict):
        for k, v in node.items():
            p = path + [k]
            if skip_embedded and k == "objects" and len(path) == 2:
                continue  # observed-data "objects" (deprecated): refs there are local keys
            if isinstance(k, str) and k.endswith("_ref"):
                out.append((p, k, v))
            elif isinstance(k, str) and k.endswith("_refs"):
                if isinstance(v, list):
                    for i, item in enumerate(v):
                        out.append((p + [i], k, item))
                else:
                    out.append((p, k, v))
            if isinstance(v, (dict, list)):
                collect_refs(v, p, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            collect_refs(v, path + [i], out)


def declared_new_object(obj):
    """'new-sdo' / 'new-sro' / 'new-sco' if an extension of the object declares it a new
    object type defined by an extension definition (STIX 2.1 section 7.3), else None."""
    for key, ext in as_dict(obj.get("extensions")).items():
        if isinstance(key, str) and key.startswith("extension-definition--"):
            t = as_dict(ext).get("extension_type")
            if t in ("new-sdo", "new-sro", "new-sco"):
                return t
    return None


def run_stix(path, schema_dir):
    schemas = StixSchemas(schema_dir)
    bundle, dups = load_json(path, "STIX file")
    errors = [("$", "duplicate object key '%s'" % k) for k in dups]
    warns = []

    def err(p, msg):
        errors.append((json_path(p), msg))

    # ---- the envelope, by hand (common/bundle.json's oneOf rejects incident and note)
    if not isinstance(bundle, dict):
        err([], "a STIX bundle must be a JSON object")
        return errors, warns, "stix: 0 objects"
    if bundle.get("type") != "bundle":
        err(["type"], "type must be 'bundle' (got %r)" % (bundle.get("type"),))
    bid = bundle.get("id")
    if not isinstance(bid, str) or not re.match(r"^bundle--" + UUID_RE + r"$", bid):
        err(["id"], "id must be 'bundle--<UUID>' (got %r)" % (bid,))
    for k in bundle:
        if k not in ("type", "id", "objects"):
            err([k], "a STIX 2.1 bundle has only type, id and objects (spec_version belongs "
                     "to each object)" if k == "spec_version" else
                "unexpected bundle property '%s'" % k)
    objects = bundle.get("objects")
    if not isinstance(objects, list):
        err(["objects"], "objects must be an array of STIX objects")
        return errors, warns, "stix: 0 objects"
    if not objects:
        err(["objects"], "objects is empty")

    # ---- each object against its own schema
    by_id = {}
    for i, obj in enumerate(objects):
        p = ["objects", i]
        if not isinstance(obj, dict):
            err(p, "a STIX object must be a JSON object")
            continue
        otype = obj.get("type")
        if not isinstance(otype, str):
            err(p + ["type"], "type is missing or not a string")
            continue
        oid = obj.get("id")
        if isinstance(oid, str):
            m = ID_RE.match(oid)
            if m and m.group(1) != otype:
                err(p + ["id"], "id %s does not start with its type '%s--'" % (oid, otype))
            if oid in by_id:
                err(p + ["id"], "duplicate id %s (also objects[%d])" % (oid, by_id[oid][0]))
            else:
                by_id[oid] = (i, otype)
        rel = schemas.schema_for(otype)
        kind = None
        if rel is None:
            kind = declared_new_object(obj)
            if kind is None:
                err(p + ["type"], "unknown STIX type '%s' (no schema, and no extension "
                                  "declares it new-sdo/new-sro/new-sco)" % otype)
                continue
            rel = "common/cyber-observable-core.json" if kind == "new-sco" else \
                "common/core.json"
        errors.extend(schema_errors(schemas.validator(rel), obj, p))
        # spec_version "2.1" on SDOs/SROs (and the common objects carrying it); an SCO may
        # omit it, but if present it must be 2.1 as well.
        is_sco = rel.startswith("observables/") or kind == "new-sco"
        if "spec_version" in obj or not is_sco:
            if obj.get("spec_version") != "2.1":
                err(p + ["spec_version"], "spec_version must be '2.1' (got %r)" % (
                    obj.get("spec_version"),))
        # time order (STIX 2.1: modified >= created; last_observed >= first_observed;
        # valid_until > valid_from; last_seen >= first_seen)
        for a, b, strict in (("created", "modified", False),
                             ("first_observed", "last_observed", False),
                             ("first_seen", "last_seen", False),
                             ("valid_from", "valid_until", True)):
            ka, kb = ts_key(obj.get(a)), ts_key(obj.get(b))
            if ka and kb and (kb < ka or (strict and kb == ka)):
                err(p + [b], "%s %s is %s %s %s" % (
                    b, obj.get(b), "not later than" if strict else "earlier than", a,
                    obj.get(a)))
        # the Incident Core Extension, when its schema is at hand
        if otype == "incident" and INCIDENT_CORE in as_dict(obj.get("extensions")) \
                and schemas.ext_validator is not None:
            prefix = json_path(p + ["extensions", INCIDENT_CORE])
            for ep, msg in schema_errors(schemas.ext_validator, obj, p):
                if ep.startswith(prefix):
                    errors.append((ep, msg))

    # ---- references
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict):
            continue
        otype = obj.get("type") if isinstance(obj.get("type"), str) else ""
        refs = []
        collect_refs(obj, ["objects", i], refs, skip_embedded=(otype == "observed-data"))
        for rp, prop, value in refs:
            if not isinstance(value, str) or not ID_RE.match(value):
                err(rp, "%s value %r is not a STIX identifier" % (prop, value))
                continue
            if value in by_id:
                target_type = by_id[value][1]
            elif value in TLP_MARKINGS:
                target_type = "marking-definition"
            else:
                err(rp, "%s %s names no object in the bundle" % (prop, value))
                continue
            allowed = REF_TYPES.get((otype, prop)) or REF_TYPES.get(("*", prop))
            if allowed is None:
                continue
            ok = allowed(target_type) if callable(allowed) else target_type in allowed
            if not ok:
                err(rp, "%s of a%s %s must not name a%s %s (%s)" % (
                    prop, "n" if otype[:1] in "aeiou" else "", otype,
                    "n" if target_type[:1] in "aeiou" else "", target_type, value))
    return errors, warns, "stix: %d objects" % len(objects)


# --------------------------------------------------------------------------------------------


def default_schema_dir():
    env = os.environ.get("FK_SCHEMAS")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(repo, "tests", "data", "schemas")


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="validate.py",
        description="Validate a fukkyu VERIS 1.4 or STIX 2.1 export (schema + business rules).")
    ap.add_argument("format", choices=("veris", "stix"))
    ap.add_argument("file")
    ap.add_argument("--schemas", metavar="DIR", default=None,
                    help="schema directory (default: $FK_SCHEMAS or tests/data/schemas)")
    ap.add_argument("--strict", action="store_true", help="warnings fail the run too")
    args = ap.parse_args(argv)  # usage errors exit 2
    schema_dir = args.schemas or default_schema_dir()
    try:
        if args.format == "veris":
            errors, warns, what = run_veris(args.file, schema_dir)
        else:
            errors, warns, what = run_stix(args.file, schema_dir)
    except UsageError as e:
        sys.stderr.write("validate.py: %s\n" % e)
        return USAGE_EXIT
    except jsonschema.RefResolutionError as e:
        sys.stderr.write("validate.py: schema reference not resolvable offline: %s\n" % e)
        return USAGE_EXIT
    for p, msg in warns:
        sys.stderr.write("%s: %s: warning: %s\n" % (args.file, p, msg))
    for p, msg in errors:
        sys.stdout.write("%s: %s: %s\n" % (args.file, p, msg))
    if errors or (args.strict and warns):
        return 1
    sys.stdout.write("ok: %s (%s)\n" % (args.file, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
