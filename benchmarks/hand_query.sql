-- The hand-written baseline of the benchmark: rulebook ru-2022 (all 25 rules, callup_date as
-- the evaluation date) as ONE DuckDB statement over a typed Parquet register, producing the
-- same findings as `nadzor screen` -- all seven columns, explanations included -- so that
-- both sides do the same work.
--
-- Run it with the path in a variable (DuckDB >= 1.1):
--     SET VARIABLE register = 'register.parquet';
--     COPY (<this statement>) TO 'hand-findings.parquet' (FORMAT parquet, COMPRESSION zstd);
--
-- What it assumes, and what it leaves out:
-- * The register is one Parquet file with typed columns as `nadzor synth` writes them (DATE,
--   BOOLEAN, integer, LIST of DATE / VARCHAR). Text dates such as '01.02.1990', text
--   booleans ('да') or CSV input are nadzor's job; this query does not parse them.
-- * Rows nadzor would reject on typed data are excluded (not reported): a missing required
--   value, an enum value not allowed, a date outside 1900-01-01..2100-12-31 (list items
--   too), wife_pregnancy_weeks outside 0..45, a conviction article that is not
--   digits[.digits], birth_date on or after callup_date, callup_date before 2022-09-21
--   (the rulebook's start), and a repeated record_id: the first occurrence in file order
--   (`file_row_number`) wins even if it is itself rejected, as in records.md. "File order"
--   is that of one file; a multi-file register would also need the file name.
-- * Row order is not significant (screening.md), so the result is not sorted.
-- * Dates: `d + INTERVAL n YEAR|MONTH` clamps to the month's last day, which is the
--   month-end rule of ru-2022.md (a 29 February birthday falls on 28 February in a common
--   year; 2022-08-31 + 6 months = 2023-02-28).
WITH
register AS (
    SELECT *
    FROM read_parquet(getvariable('register'), file_row_number = true)
),

-- Values as nadzor reads typed columns: text trimmed, empty = not recorded, enums folded
-- (Cyrillic spellings accepted), list items trimmed and empty items dropped.
typed AS (
    SELECT
        file_row_number AS row_no,
        nullif(trim(record_id), '') AS record_id,
        min(file_row_number) OVER (PARTITION BY nullif(trim(record_id), '')) AS first_row,
        callup_date AS e,
        birth_date,
        CASE lower(trim(sex))
            WHEN 'm' THEN 'M' WHEN 'м' THEN 'M'
            WHEN 'f' THEN 'F' WHEN 'ж' THEN 'F'
        END AS sex,
        nullif(trim(sex), '') AS sex_raw,
        ru_citizen,
        in_reserve,
        CASE WHEN lower(trim(rank_group)) IN
                ('soldier', 'junior_officer', 'field_officer', 'colonel', 'general')
            THEN lower(trim(rank_group))
        END AS rank_group,
        nullif(trim(rank_group), '') AS rank_group_raw,
        CASE lower(trim(health_category))
            WHEN 'a' THEN 'A' WHEN 'а' THEN 'A'
            WHEN 'b' THEN 'B' WHEN 'б' THEN 'B'
            WHEN 'v' THEN 'V' WHEN 'в' THEN 'V'
            WHEN 'g' THEN 'G' WHEN 'г' THEN 'G'
            WHEN 'd' THEN 'D' WHEN 'д' THEN 'D'
        END AS health_category,
        nullif(trim(health_category), '') AS health_category_raw,
        health_exam_date,
        children_birth_dates AS children,
        raises_children_alone,
        wife_pregnancy_weeks,
        cares_for_relative,
        guardian_of_minor_sibling,
        other_carers_available,
        reserved_until,
        full_time_student_until,
        list_filter(
            list_transform(conviction_articles, lambda a: trim(a)), lambda a: a <> ''
        ) AS articles,
        conviction_grave,
        defence_industry_worker,
        it_sector_worker,
        legislator
    FROM register
),

valid AS (
    SELECT *
    FROM typed
    WHERE record_id IS NOT NULL
        AND row_no = first_row
        AND e BETWEEN DATE '2022-09-21' AND DATE '2100-12-31'
        AND birth_date BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'
        AND birth_date < e
        AND sex IS NOT NULL
        AND ru_citizen IS NOT NULL
        AND in_reserve IS NOT NULL
        AND rank_group IS NOT NULL
        AND (health_category_raw IS NULL OR health_category IS NOT NULL)
        AND coalesce(health_exam_date BETWEEN DATE '1900-01-01' AND DATE '2100-12-31', true)
        AND coalesce(reserved_until BETWEEN DATE '1900-01-01' AND DATE '2100-12-31', true)
        AND coalesce(
            full_time_student_until BETWEEN DATE '1900-01-01' AND DATE '2100-12-31', true
        )
        AND coalesce(list_min(children) >= DATE '1900-01-01', true)
        AND coalesce(list_max(children) <= DATE '2100-12-31', true)
        AND coalesce(wife_pregnancy_weeks BETWEEN 0 AND 45, true)
        AND NOT coalesce(
            list_bool_or(
                list_transform(articles, lambda a: NOT regexp_full_match(a, '[0-9]+(\.[0-9]+)?'))
            ),
            false
        )
),

-- The `let` values of rules.yaml and the parameters, on E = callup_date.
facts AS (
    SELECT
        *,
        year(e) - year(birth_date)
            - CASE WHEN birth_date + to_years(year(e) - year(birth_date)) > e THEN 1 ELSE 0 END
            AS age,
        -- children under 16 on E, oldest first
        list_sort(list_filter(children, lambda c: c <= e AND c + INTERVAL 16 YEAR > e)) AS u16,
        CAST(health_exam_date + INTERVAL 6 MONTH AS DATE) AS g_end,
        CASE
            WHEN sex = 'F' THEN CASE WHEN rank_group = 'soldier' THEN 45 ELSE 50 END
            WHEN rank_group = 'soldier' AND e >= DATE '2024-01-01'
                THEN least(greatest(year(birth_date) - 1973, 0), 5) + 50
            ELSE CASE rank_group
                WHEN 'soldier' THEN 50
                WHEN 'junior_officer' THEN 60
                WHEN 'field_officer' THEN 65
                WHEN 'colonel' THEN 65
                WHEN 'general' THEN 70
            END
        END AS max_age,
        list_filter(articles, lambda a: a IN (
            '134', '135', '205', '205.1', '205.2', '205.3', '205.4', '205.5', '206', '208',
            '211', '220', '221', '275', '275.1', '276', '277', '278', '279', '280', '282.1',
            '282.2', '282.3', '360', '361'
        )) AS listed,
        list_filter(articles, lambda a: a IN ('131', '132', '133')) AS checked
    FROM valid
),

-- One row per (record, rule that fires): the numbers of the rules whose condition holds
-- (numbered as in the `rules` table at the end, in rules.yaml order), unnested.
-- Conditions follow rules.yaml; a comparison with null is false, and `x AND
-- NOT others` reads an unrecorded other_carers_available as false.
fired AS (
    SELECT
        *,
        coalesce(len(u16), 0) AS n16,
        unnest(list_filter([
            CASE WHEN NOT ru_citizen THEN 1 END,
            CASE WHEN NOT in_reserve THEN 2 END,
            CASE WHEN age < 18 THEN 3 END,
            CASE WHEN age >= max_age THEN 4 END,
            CASE WHEN health_category = 'D' THEN 5 END,
            CASE WHEN health_category = 'G' AND health_exam_date <= e AND e <= g_end THEN 6 END,
            CASE WHEN health_category = 'G' AND e > g_end THEN 7 END,
            CASE WHEN health_category = 'G' AND (health_exam_date IS NULL OR health_exam_date > e)
                THEN 8 END,
            CASE WHEN health_category IS NULL THEN 9 END,
            CASE WHEN conviction_grave AND e <= DATE '2022-11-14' THEN 10 END,
            CASE WHEN len(listed) > 0 AND e >= DATE '2022-11-15' THEN 11 END,
            CASE WHEN len(checked) > 0 AND e >= DATE '2022-11-15' THEN 12 END,
            CASE WHEN reserved_until >= e THEN 13 END,
            CASE WHEN defence_industry_worker THEN 14 END,
            CASE WHEN it_sector_worker AND e >= DATE '2022-09-23' THEN 15 END,
            CASE WHEN cares_for_relative AND NOT coalesce(other_carers_available, false) THEN 16 END,
            CASE WHEN guardian_of_minor_sibling AND NOT coalesce(other_carers_available, false)
                THEN 17 END,
            CASE WHEN len(u16) >= 4 THEN 18 END,
            CASE WHEN sex = 'M' AND raises_children_alone AND len(u16) >= 1 THEN 19 END,
            CASE WHEN len(u16) >= 3 AND wife_pregnancy_weeks >= 22 THEN 20 END,
            CASE WHEN len(u16) = 3 AND e <= DATE '2022-10-03' THEN 21 END,
            CASE WHEN len(u16) = 3 AND e >= DATE '2022-10-04' THEN 22 END,
            CASE WHEN full_time_student_until >= e THEN 23 END,
            CASE WHEN legislator THEN 24 END,
            CASE WHEN sex = 'F' THEN 25 END
        ], lambda n: n IS NOT NULL)) AS rule_no
    FROM facts
),

-- The end of a deferment, where the facts give one.
ends AS (
    SELECT
        *,
        CASE rule_no
            WHEN 6 THEN g_end
            WHEN 13 THEN reserved_until
            -- birthday(k-th youngest child under 16, 16) - 1 day; u16 is oldest first
            WHEN 18 THEN CAST(u16[n16 - 3] + INTERVAL 16 YEAR AS DATE) - 1
            WHEN 19 THEN CAST(u16[n16] + INTERVAL 16 YEAR AS DATE) - 1
            WHEN 22 THEN CAST(u16[n16 - 2] + INTERVAL 16 YEAR AS DATE) - 1
            WHEN 23 THEN full_time_student_until
        END AS deferment_until,
        CAST(e AS VARCHAR) AS e_text,
        coalesce(CAST(health_exam_date AS VARCHAR), '[not recorded]') AS exam_text,
        CASE WHEN other_carers_available THEN 'yes'
            WHEN NOT other_carers_available THEN 'no'
            ELSE '[not recorded]'
        END AS others_text
    FROM fired
)

SELECT
    record_id,
    rules.rule_id,
    rules.outcome,
    deferment_until,
    CASE WHEN rule_no = 4 AND e >= DATE '2024-01-01'
        THEN '53-FZ art. 53 as amended by 326-FZ (from 2024-01-01)'
        ELSE rules.basis
    END AS basis,
    CASE rule_no
        WHEN 1 THEN 'not a citizen of the Russian Federation (ru_citizen = no); only citizens'
            || ' in the reserve are subject to mobilization call-up'
        WHEN 2 THEN 'not on military registration in the reserve (in_reserve = no); only'
            || ' reservists are subject to mobilization call-up'
        WHEN 3 THEN 'aged ' || age || ' on ' || e_text || ' (born ' || birth_date
            || '); persons under 18 are not subject to call-up'
        WHEN 4 THEN 'aged ' || age || ' on ' || e_text || ' (born ' || birth_date
            || '); the reserve age limit for rank group ' || rank_group || ', sex ' || sex
            || ', is ' || max_age || ', and reaching it removes a person from the reserve'
        WHEN 5 THEN 'health category D (unfit) set on ' || exam_text
            || '; unfit persons are not subject to call-up'
        WHEN 6 THEN 'health category G (temporarily unfit) set on ' || exam_text
            || '; deferment for 6 months from the examination, until ' || deferment_until
        WHEN 7 THEN 'health category G (temporarily unfit) set on ' || exam_text
            || ', more than 6 months before ' || e_text || ' (ended ' || g_end
            || '); a re-examination is due before any call-up'
        WHEN 8 THEN 'health category G (temporarily unfit) with examination date ' || exam_text
            || ', not on or before ' || e_text
            || '; the unfitness is not dated before that day and must be checked'
        WHEN 9 THEN 'no health category recorded (examination date ' || exam_text
            || '); fitness must be established by a military-medical examination before call-up'
        WHEN 10 THEN 'unspent conviction for a grave or especially grave crime'
            || ' (conviction_grave = yes); under the wording in force until 2022-11-14 such'
            || ' persons are not subject to call-up'
        WHEN 11 THEN 'unspent conviction under criminal-code article(s) '
            || array_to_string(listed, ', ') || ', which bar call-up from 2022-11-15'
        WHEN 12 THEN 'unspent conviction under criminal-code article(s) '
            || array_to_string(checked, ', ')
            || '; it bars call-up if the victim was a minor: check the judgment'
        WHEN 13 THEN 'mobilization reservation held by the employer until ' || reserved_until
            || ', in force on ' || e_text
        WHEN 14 THEN 'works at a defence-industry organisation on the state defence order'
            || ' (defence_industry_worker = yes); deferred while so employed'
        WHEN 15 THEN 'works full time in IT, telecom, registered media or financial'
            || ' infrastructure (it_sector_worker = yes); exempted by a Ministry of Defence'
            || ' statement, not by a legal act: check'
        WHEN 16 THEN 'gives constant care to a relative who needs it (cares_for_relative = yes),'
            || ' with no other person obliged to support them recorded'
            || ' (other_carers_available = ' || others_text || ')'
        WHEN 17 THEN 'guardian or custodian of a minor full brother or sister'
            || ' (guardian_of_minor_sibling = yes), with no other person obliged to support'
            || ' them recorded (other_carers_available = ' || others_text || ')'
        WHEN 18 THEN n16 || ' children under 16 on ' || e_text || ' (born '
            || array_to_string(u16, ', ') || '); deferment while 4 are under 16, until '
            || deferment_until
        WHEN 19 THEN 'raises ' || n16 || ' child(ren) under 16 without their mother on ' || e_text
            || ' (born ' || array_to_string(u16, ', ')
            || '); deferment while one is under 16, until ' || deferment_until
        WHEN 20 THEN n16 || ' children under 16 on ' || e_text || ' (born '
            || array_to_string(u16, ', ') || ') and a wife ' || wife_pregnancy_weeks
            || ' weeks pregnant as recorded on ' || e_text || ' (at least 22 needed);'
            || ' deferment for the pregnancy, with no end date in the record'
        WHEN 21 THEN '3 children under 16 on ' || e_text || ' (born '
            || array_to_string(u16, ', ') || '); the General Staff directive of 2022-10-04 was'
            || ' applied in practice to earlier call-ups: return to be checked'
        WHEN 22 THEN '3 children under 16 on ' || e_text || ' (born '
            || array_to_string(u16, ', ') || '); deferment while 3 are under 16, until '
            || deferment_until
        WHEN 23 THEN 'full-time or evening student of an accredited programme until '
            || full_time_student_until || ', studying on ' || e_text
        WHEN 24 THEN 'member of the Federation Council or deputy of the State Duma'
            || ' (legislator = yes); deferred for the term of office'
        WHEN 25 THEN 'a woman (sex = F); by Ministry of Defence statements women are not'
            || ' mobilized save needed specialists: check'
    END AS explanation,
    'ru-2022@1.0.0' AS rulebook
FROM ends
JOIN (VALUES
    (1, 'RU22-NOT-CITIZEN', 'not_subject', '31-FZ art. 17; 53-FZ art. 1'),
    (2, 'RU22-NOT-RESERVE', 'not_subject', '31-FZ art. 17(2)'),
    (3, 'RU22-MINOR', 'not_subject', '53-FZ art. 22'),
    (4, 'RU22-AGE-LIMIT', 'not_subject', '53-FZ art. 53'),
    (5, 'RU22-HEALTH-D', 'not_subject', '53-FZ art. 53(3); Government Decree 565'),
    (6, 'RU22-HEALTH-G', 'deferment', '31-FZ art. 18(1)(2)'),
    (7, 'RU22-HEALTH-G-EXPIRED', 'review', '31-FZ art. 18(1)(2): re-examination due'),
    (8, 'RU22-HEALTH-G-UNDATED', 'review',
        '31-FZ art. 18(1)(2): unfitness not dated before the evaluation date'),
    (9, 'RU22-HEALTH-UNKNOWN', 'review', 'Government Decree 565: fitness must be established'),
    (10, 'RU22-CONVICTION-GRAVE', 'not_subject', '31-FZ art. 17(4), original wording'),
    (11, 'RU22-CONVICTION-LISTED', 'not_subject', '31-FZ art. 17(4) as amended by 421-FZ'),
    (12, 'RU22-CONVICTION-CHECK', 'review',
        '31-FZ art. 17(4) as amended by 421-FZ: bars crimes against minors'),
    (13, 'RU22-RESERVATION', 'deferment', '31-FZ art. 18(1)(1)'),
    (14, 'RU22-DEFENCE-INDUSTRY', 'deferment', 'Decree 647 para 9'),
    (15, 'RU22-IT-SECTOR', 'review', 'MoD statement of 23.09.2022 (not a legal act)'),
    (16, 'RU22-CARE', 'deferment', '31-FZ art. 18(1)(3)'),
    (17, 'RU22-GUARDIAN', 'deferment', '31-FZ art. 18(1)(3.1)'),
    (18, 'RU22-CHILDREN-4', 'deferment', '31-FZ art. 18(1)(4)'),
    (19, 'RU22-SINGLE-PARENT', 'deferment', '31-FZ art. 18(1)(4)'),
    (20, 'RU22-PREGNANCY', 'deferment', '31-FZ art. 18(1)(5)'),
    (21, 'RU22-CHILDREN-3-RETRO', 'review',
        'General Staff directive of 04.10.2022, applied in practice to earlier call-ups (return)'),
    (22, 'RU22-CHILDREN-3', 'deferment',
        'General Staff directive of 04.10.2022 (not published; a revocation in late 2022 was'
        || ' reported and denied)'),
    (23, 'RU22-STUDENT', 'deferment', 'Decrees 664 and 712'),
    (24, 'RU22-LEGISLATOR', 'deferment', '31-FZ art. 18(1)(6)'),
    (25, 'RU22-WOMAN', 'review', 'MoD statements: women not mobilized save needed specialists')
) AS rules (rule_no, rule_id, outcome, basis) USING (rule_no)
