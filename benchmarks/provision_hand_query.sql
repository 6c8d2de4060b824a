-- The findings of rulebook ru-2022-provision, judged as of {as_of}, in one DuckDB query over
-- a typed Parquet register: what `nadzor screen REGISTER --rulebook ru-2022-provision
-- --as-of {as_of}` computes, written by hand for the benchmark (see docs/performance.md).
-- {as_of} is filled in by benchmarks/screen_provision.py; the register is the variable
-- `register`, as for hand_query.sql.
--
-- Same work as nadzor on a typed register: the checks that reject a row (a required value
-- missing, a date outside 2000..2100 or after the judgment day for the law date, an amount
-- outside 0..10,000,000, the four date-order checks, a repeated record_id: the first in
-- file order wins, a working-day date outside the 2022..2024 calendar), dates after the
-- judgment day read as not recorded, the working days of the Russian production calendar
-- (weekdays that are not holidays, and the Saturdays made working days), the eight rules
-- and all eight findings columns with the English explanations word for word.
-- Not done: parsing text values (the register is typed); counts for the terminal.
WITH
holidays(day) AS (
    SELECT unnest([
        DATE '2022-01-03', DATE '2022-01-04', DATE '2022-01-05', DATE '2022-01-06',
        DATE '2022-01-07', DATE '2022-02-23', DATE '2022-03-07', DATE '2022-03-08',
        DATE '2022-05-02', DATE '2022-05-03', DATE '2022-05-09', DATE '2022-05-10',
        DATE '2022-06-13', DATE '2022-11-04',
        DATE '2023-01-02', DATE '2023-01-03', DATE '2023-01-04', DATE '2023-01-05',
        DATE '2023-01-06', DATE '2023-02-23', DATE '2023-02-24', DATE '2023-03-08',
        DATE '2023-05-01', DATE '2023-05-08', DATE '2023-05-09', DATE '2023-06-12',
        DATE '2023-11-06',
        DATE '2024-01-01', DATE '2024-01-02', DATE '2024-01-03', DATE '2024-01-04',
        DATE '2024-01-05', DATE '2024-01-08', DATE '2024-02-23', DATE '2024-03-08',
        DATE '2024-04-29', DATE '2024-04-30', DATE '2024-05-01', DATE '2024-05-09',
        DATE '2024-05-10', DATE '2024-06-12', DATE '2024-11-04', DATE '2024-12-30',
        DATE '2024-12-31'])
),
saturdays(day) AS (
    SELECT unnest([DATE '2022-03-05', DATE '2024-04-27', DATE '2024-11-02', DATE '2024-12-28'])
),
days AS (
    SELECT CAST(d AS DATE) AS day,
           (isodow(d) <= 5 AND d NOT IN (SELECT day FROM holidays))
           OR d IN (SELECT day FROM saturdays) AS working
    FROM range(DATE '2022-01-01', DATE '2025-01-01', INTERVAL 1 DAY) AS t(d)
),
-- W(day): working days from the calendar's first day up to and including `day`
calendar AS (
    SELECT day, working, sum(working::INT) OVER (ORDER BY day) AS w FROM days
),
working AS (SELECT day, w FROM calendar WHERE working),
raw AS (
    SELECT *, file_row_number AS _row FROM read_parquet(getvariable('register'), file_row_number = true)
),
firsts AS (
    SELECT trim(record_id) AS k, min(_row) AS first_row
    FROM raw WHERE nullif(trim(record_id), '') IS NOT NULL GROUP BY 1
),
typed AS (
    SELECT
        _row,
        nullif(trim(record_id), '') AS record_id,
        nullif(trim(unit), '') AS unit,
        mobilized_on,
        -- a date after the judgment day had not happened yet on that day
        CASE WHEN arrived_on <= DATE '{as_of}' THEN arrived_on END AS arrived_on,
        CASE WHEN deployed_on <= DATE '{as_of}' THEN deployed_on END AS deployed_on,
        CASE WHEN winter_kit_issued_on <= DATE '{as_of}' THEN winter_kit_issued_on END
            AS winter_kit_issued_on,
        kit_self_bought, armour_issued, helmet_issued,
        CASE WHEN payment_order_date <= DATE '{as_of}' THEN payment_order_date END
            AS payment_order_date,
        CASE WHEN payment_paid_on <= DATE '{as_of}' THEN payment_paid_on END AS payment_paid_on,
        payment_amount,
        arrived_on AS arrived_raw, deployed_on AS deployed_raw,
        winter_kit_issued_on AS kit_raw, payment_order_date AS order_raw,
        payment_paid_on AS paid_raw
    FROM raw
),
valid AS (
    SELECT t.* FROM typed t JOIN firsts f ON t.record_id = f.k AND t._row = f.first_row
    WHERE t.unit IS NOT NULL AND t.mobilized_on IS NOT NULL
      AND t.mobilized_on BETWEEN DATE '2022-09-21' AND DATE '{as_of}'
      AND coalesce(t.arrived_raw BETWEEN DATE '2000-01-01' AND DATE '2100-12-31', true)
      AND coalesce(t.deployed_raw BETWEEN DATE '2000-01-01' AND DATE '2100-12-31', true)
      AND coalesce(t.kit_raw BETWEEN DATE '2000-01-01' AND DATE '2100-12-31', true)
      AND coalesce(t.order_raw BETWEEN DATE '2000-01-01' AND DATE '2100-12-31', true)
      AND coalesce(t.paid_raw BETWEEN DATE '2000-01-01' AND DATE '2100-12-31', true)
      AND coalesce(t.payment_amount BETWEEN 0 AND 10000000, true)
      AND NOT coalesce(t.arrived_on < t.mobilized_on, false)
      AND NOT coalesce(t.deployed_on < t.arrived_on, false)
      AND NOT coalesce(t.payment_order_date < t.mobilized_on, false)
      AND NOT coalesce(t.payment_paid_on < t.payment_order_date, false)
      AND coalesce(t.payment_order_date BETWEEN DATE '2022-01-01' AND DATE '2024-12-31', true)
      AND coalesce(t.payment_paid_on BETWEEN DATE '2022-01-01' AND DATE '2024-12-31', true)
),
lets AS (
    SELECT v.*,
           (SELECT min(k.day) FROM working k WHERE k.w = c.w + 10) AS due,
           v.mobilized_on + 30 AS order_wait_end,
           v.arrived_on + 14 AS kit_wait_end,
           datediff('day', v.arrived_on, v.deployed_on) AS training_days,
           p.w AS w_paid, c.w AS w_order
    FROM valid v
    LEFT JOIN calendar c ON c.day = v.payment_order_date
    LEFT JOIN calendar p ON p.day = v.payment_paid_on
),
flagged AS (
    SELECT l.*,
           (SELECT w FROM calendar k WHERE k.day = l.due) AS w_due,
           coalesce(payment_paid_on > due, false) AS f_late,
           coalesce(payment_order_date IS NOT NULL AND payment_paid_on IS NULL
                    AND DATE '{as_of}' > due, false) AS f_unpaid,
           coalesce(payment_paid_on IS NOT NULL AND payment_amount < 195000, false) AS f_short,
           coalesce(payment_order_date IS NULL AND payment_paid_on IS NULL
                    AND DATE '{as_of}' > order_wait_end, false) AS f_no_order,
           coalesce(deployed_on IS NOT NULL AND month(deployed_on) IN (10, 11, 12, 1, 2, 3)
                    AND (winter_kit_issued_on IS NULL OR winter_kit_issued_on > deployed_on),
                    false) AS f_winter_deployed,
           coalesce(deployed_on IS NULL AND month(DATE '{as_of}') IN (10, 11, 12, 1, 2, 3)
                    AND (winter_kit_issued_on IS NULL OR winter_kit_issued_on > DATE '{as_of}')
                    AND arrived_on IS NOT NULL AND DATE '{as_of}' > kit_wait_end,
                    false) AS f_winter_waiting,
           coalesce(kit_self_bought, false) AS f_self_bought,
           coalesce(deployed_on IS NOT NULL
                    AND ((armour_issued IS NOT NULL AND NOT armour_issued)
                         OR (helmet_issued IS NOT NULL AND NOT helmet_issued)), false) AS f_armour,
           coalesce(arrived_on IS NOT NULL AND deployed_on IS NOT NULL AND training_days < 14,
                    false) AS f_training
    FROM lets l
),
yn(b, t) AS (VALUES (true, 'yes'), (false, 'no')),
shown AS (
    SELECT f.*,
           coalesce(strftime(payment_order_date, '%Y-%m-%d'), '[not recorded]') AS s_order,
           coalesce(strftime(payment_paid_on, '%Y-%m-%d'), '[not recorded]') AS s_paid,
           coalesce(strftime(due, '%Y-%m-%d'), '[not recorded]') AS s_due,
           coalesce(strftime(deployed_on, '%Y-%m-%d'), '[not recorded]') AS s_deployed,
           coalesce(strftime(arrived_on, '%Y-%m-%d'), '[not recorded]') AS s_arrived,
           coalesce(strftime(winter_kit_issued_on, '%Y-%m-%d'), '[not recorded]') AS s_kit,
           coalesce(CASE armour_issued WHEN true THEN 'yes' WHEN false THEN 'no' END,
                    '[not recorded]') AS s_armour,
           coalesce(CASE helmet_issued WHEN true THEN 'yes' WHEN false THEN 'no' END,
                    '[not recorded]') AS s_helmet,
           coalesce(CAST(payment_amount AS VARCHAR), '[not recorded]') AS s_amount
    FROM flagged f
    WHERE f_late OR f_unpaid OR f_short OR f_no_order OR f_winter_deployed OR f_winter_waiting
       OR f_self_bought OR f_armour OR f_training
),
findings AS (
SELECT record_id, 'PROV-PAY-LATE' AS rule_id, 'breach' AS outcome,
       CAST(NULL AS DATE) AS deferment_until,
       'Decree 787; Government payment rules: within 10 working days of the order' AS basis,
       '195000 RUB ordered on ' || s_order || ', due by ' || s_due
       || ' (10 working days), paid on ' || s_paid || ': ' || CAST(w_paid - w_due AS VARCHAR)
       || ' working days late' AS explanation
FROM shown WHERE f_late
UNION ALL
SELECT record_id, 'PROV-PAY-UNPAID', 'breach', NULL,
       'Decree 787; Government payment rules: within 10 working days of the order',
       '195000 RUB ordered on ' || s_order || ', due by ' || s_due
       || ' (10 working days), not paid as of {as_of}'
FROM shown WHERE f_unpaid
UNION ALL
SELECT record_id, 'PROV-PAY-SHORT', 'breach', NULL, 'Decree 787 p.1',
       s_amount || ' RUB paid on ' || s_paid || ', less than the 195000 RUB owed'
FROM shown WHERE f_short
UNION ALL
SELECT record_id, 'PROV-PAY-NO-ORDER', 'concern', NULL,
       'no deadline for the order in law; Decree 787',
       'mobilized on ' || strftime(mobilized_on, '%Y-%m-%d') || '; as of {as_of}, more than 30'
       || ' days later (after ' || strftime(order_wait_end, '%Y-%m-%d')
       || '), no order on the 195000 RUB payment and no payment'
FROM shown WHERE f_no_order
UNION ALL
SELECT record_id, 'PROV-WINTER-DEPLOYED', 'breach', NULL,
       '76-FZ art. 14(2); Government Decree 390',
       'deployed on ' || s_deployed || ', in the cold months, with winter kit issued on '
       || s_kit || ': not on or before deployment'
FROM shown WHERE f_winter_deployed
UNION ALL
SELECT record_id, 'PROV-WINTER-WAITING', 'concern', NULL,
       'no deadline in law; official line: uniform on arrival',
       'arrived on ' || s_arrived || '; as of {as_of}, more than 14 days later, no winter kit'
       || ' issued and not deployed'
FROM shown WHERE f_winter_waiting
UNION ALL
SELECT record_id, 'PROV-SELF-BOUGHT', 'breach', NULL,
       '76-FZ art. 14(2): issued by the state; official statement of October 2022',
       'items the state must issue were bought by the serviceman or his family'
       || ' (kit_self_bought = yes)'
FROM shown WHERE f_self_bought
UNION ALL
SELECT record_id, 'PROV-ARMOUR', 'concern', NULL,
       'no public per-person norm; official statements',
       'deployed on ' || s_deployed || ' with body armour issued = ' || s_armour
       || ' and helmet issued = ' || s_helmet
FROM shown WHERE f_armour
UNION ALL
SELECT record_id, 'PROV-TRAINING-SHORT', 'concern', NULL,
       'no legal minimum; official statements of 21.09 and 04.10.2022',
       'arrived on ' || s_arrived || ' and deployed on ' || s_deployed || ': '
       || CAST(training_days AS VARCHAR) || ' days, fewer than 14'
FROM shown WHERE f_training
)
SELECT *, 'ru-2022-provision@1.0.0' AS rulebook, DATE '{as_of}' AS as_of FROM findings
