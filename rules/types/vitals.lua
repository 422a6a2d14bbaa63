---@meta vitals
-- The rule API, described for editors: with the Lua extension of VS Code (Lua
-- Language Server), opening the rules folder gives completion and hover help
-- for ctx, the vitals helpers and the table a rule returns. Vitals never runs
-- this file (it starts with ---@meta, which marks it as definitions only).
-- See docs/rule-authoring.md.

---What a rule concludes for an indicator.
---@alias vitals.Status
---| "exception"          # the criterion is met: report the indicator by exception
---| "ok"                 # checked, and the criterion is not met
---| "insufficient_data"  # not enough data to decide

---Which direction is good.
---@alias vitals.Polarity
---| "bigger"   # bigger is better
---| "smaller"  # smaller is better

---How often the indicator is measured.
---@alias vitals.Frequency "monthly"|"quarterly"|"annual"|"financial_year"|"financial_quarterly"

---Red / Amber / Green against the target; "none" when no target is set.
---@alias vitals.Rag "red"|"amber"|"green"|"none"

---Whether the data are up to date for the reporting period.
---@alias vitals.DataState
---| "current"  # a result for the reporting period, or within the allowed lag
---| "stale"    # the latest result is later than the allowed lag
---| "no_data"  # no result at or before the reporting period

---One result of an indicator. Numbers that are blank in the data are nil.
---@class vitals.Point
---@field period string        The period, e.g. "2017-03", "2017-Q1", "2017", "2016/17".
---@field label string         The period for people, e.g. "Mar 2017".
---@field value number?        The result.
---@field numerator number?    The numerator, when published.
---@field denominator number?  The denominator, when published.
---@field target number?       The target in force for this period.
---@field variance_pct number? How far worse than target, in percent (negative when better).
---@field rag vitals.Rag       The rating against the target.

---When a result that misses its target turns Amber or Red.
---@class vitals.Tolerance
---@field red_variance_pct number   Red from this adverse variance (percent of the target).
---@field amber_variance_pct number Amber above this adverse variance.

---The indicator being checked (also what applies_to receives).
---@class vitals.Indicator
---@field id string                 Stable id, e.g. "dtoc_social_care_per_100k".
---@field title string              The name the committee knows it by.
---@field description string        "Why is this important?"
---@field polarity vitals.Polarity
---@field unit "percent"|"per_100k"|"count"|"currency"|"number"
---@field decimals integer          How many decimals its figures are shown with (0 to 6).
---@field frequency vitals.Frequency
---@field lead_officer string       Accountable for performance.
---@field data_owner string         Collates the data.
---@field budget_lines string[]     Ids of the budget lines the indicator is linked to.
---@field risks string[]            Ids of the corporate risks the indicator is linked to.
---@field allowed_lag integer       Periods the data may trail the reporting period.
---@field tolerance vitals.Tolerance
---@field cost_driver_line string?  The budget line its cost driver charges, when it has one.

---A saving planned on a budget line.
---@class vitals.Saving
---@field id string
---@field name string
---@field budget_line string
---@field planned number?
---@field forecast number?
---@field rag vitals.Rag|"red_or_amber" "red_or_amber": grouped by the source as not or only partly achieved, at least Amber.

---A linked budget line with its latest monitoring figures.
---@class vitals.BudgetLine
---@field id string
---@field title string
---@field parent string
---@field period string
---@field budget number?
---@field forecast number?
---@field variance number?       Positive is an overspend.
---@field variance_pct number?
---@field basis "net"|"gross"       "gross": spend before income, whose variance is not an overspend of the net budget.
---@field finance_period integer?  The monitoring period: 1 (April) to 12 (March), 13 the year end.
---@field previous_variance number? The variance at the previous report.
---@field previous_period string?   The previous snapshot's period, when the variance at the previous report came from the store.
---@field savings vitals.Saving[]
---@field cost_driver vitals.CostDriver? On the line the indicator's cost driver charges.

---What the gap between the indicator and its target costs a budget line
---([indicator.cost_driver]).
---@class vitals.CostDriver
---@field unit_cost number          Pounds one unit of the measure costs per `per`.
---@field per "week"|"day"|"month"|"once"
---@field remaining number          How many `per` are left in the financial year after the period (1 for "once").
---@field population number?        The population a rate per 100,000 or a percentage is of.
---@field population_label string   Who the population is, e.g. "aged 65+" (may be empty).
---@field unit_label string         What one unit is, e.g. "admission" (may be empty).
---@field unit_cost_illustrative boolean  The unit cost is not taken from the council's papers.
---@field population_illustrative boolean The population is not taken from the council's papers.
---@field source string             Where the figures come from (may be empty).

---What in a linked risk the indicator measures and when its state worsens the risk,
---as the indicator's link states it (see docs/indicator-format.md).
---@class vitals.RiskLink
---@field measures "cause"|"consequence"|"mitigation"
---@field quote string            The words of the risk it measures, quoted from the register.
---@field when "off_target"|"deteriorating"|"threshold"
---@field threshold number?       For when = "threshold": the value at or beyond which it worsens the risk.

---A linked corporate risk from the risk register.
---@class vitals.Risk
---@field id string
---@field title string
---@field description string
---@field owner string
---@field period string
---@field likelihood integer?
---@field impact integer?
---@field score integer?         likelihood x impact, 1 to 25
---@field band string?           "high" (16-25), "medium" (6-15) or "low" (1-5)
---@field original_score integer?
---@field target_likelihood integer?
---@field target_impact integer?
---@field target_score integer?
---@field target_date string
---@field prospects vitals.Rag   Prospects of meeting the target score by the target date.
---@field previous_score integer?
---@field link vitals.RiskLink?  The link's mechanism; nil when the indicator links to the risk by id only.

---A comparator's figure for the measure, in the comparators' period.
---@class vitals.ComparatorFigure
---@field name string          e.g. "England", "East of England", "Family group", "Suffolk".
---@field code string          The council's or region's code; "" for the family group.
---@field value number?
---@field numerator number?    Summed over the councils it covers.
---@field denominator number?
---@field councils integer     How many councils it covers.

---How the council compares on the indicator's measure (catalogue [comparators]).
---@class vitals.Comparators
---@field measure string       The measure's reference in the national file, e.g. "2A(1)".
---@field period string        The period of every figure, e.g. "2015/16".
---@field council number?      The council's own figure in that period.
---@field rank integer?        1 is the best, by the indicator's polarity.
---@field ranked integer       How many councils have a figure.
---@field quartile integer?    1 (top) to 4 (bottom).
---@field england vitals.ComparatorFigure?
---@field region vitals.ComparatorFigure?
---@field family_group vitals.ComparatorFigure?
---@field peers vitals.ComparatorFigure[]

---What evaluate receives. It is read-only: a rule looks at the data but cannot change it.
---@class vitals.Context
---@field period string                 The reporting period, e.g. "2017-03".
---@field period_label string           The same for people, e.g. "Mar 2017".
---@field data_state vitals.DataState
---@field params table<string, string|number|boolean> This rule's settings for this indicator, from the catalogue, with the declared defaults for those not set.
---@field series vitals.Point[]         Results up to the reporting period, oldest first.
---@field latest vitals.Point?          The last point of series, or nil when there is none.
---@field indicator vitals.Indicator
---@field budget_lines vitals.BudgetLine[] The linked budget lines that have monitoring figures.
---@field risks vitals.Risk[]           The linked risks that the risk register scores.
---@field comparators vitals.Comparators? England, region, family group and peers, when the catalogue gives them.

---What evaluate returns.
---@class vitals.Result
---@field status vitals.Status
---@field message string   One line in plain English, with the numbers: it is printed on the report card.
---@field evidence? table<string, number|string|boolean> The numbers and facts behind the message.

---One setting a rule declares in its params table.
---@class vitals.Param
---@field type "number"|"integer"|"string"|"boolean"|"list" What the setting holds ("list": words separated by spaces or commas).
---@field description string     What the setting does, in a sentence.
---@field default? string|number|boolean The value when the catalogue sets none (default: nil).
---@field min? number            For numbers: the smallest value allowed.
---@field max? number            For numbers: the largest value allowed.
---@field values? string[]       For text and lists: the words allowed.

---The table a rule file returns.
---@class vitals.Rule
---@field id string              Unique name, lower case: "off_target". Settings in the catalogue use it.
---@field version string         Change it when the rule's behaviour changes.
---@field description string     What the rule checks, in a sentence.
---@field criterion? string      The criterion shown in reports (default: the id).
---@field params? table<string, vitals.Param> The settings the catalogue may give the rule, checked by Vitals.
---@field applies_to? fun(indicator: vitals.Indicator): boolean Which indicators the rule checks (default: all).
---@field evaluate fun(ctx: vitals.Context): vitals.Result The check itself.

---The helpers Vitals gives every rule.
vitals = {}

---Short text for a number: at most two decimals, thousands separated by commas.
---`vitals.format(3.5649)` is "3.56", `vitals.format(3523)` is "3,523".
---@param x number
---@return string
function vitals.format(x) end

---A figure of an indicator as the reports show it: its decimals and unit.
---`vitals.figure(2, ctx.indicator)` is "2.0%" for a percentage shown with one decimal.
---@param x number
---@param indicator vitals.Indicator|{unit: string, decimals: integer?}
---@return string
function vitals.figure(x, indicator) end

---A percentage for messages, without the % sign: a whole number from 10 up ("137"),
---one decimal below ("7.5").
---@param x number
---@return string
function vitals.format_pct(x) end

---True when `new` is worse than `old` for the polarity; equal values are not worse.
---@param new number
---@param old number
---@param polarity vitals.Polarity
---@return boolean
function vitals.is_worse(new, old, polarity) end

---The period `n` steps after `period` (before it when `n` is negative; default 1):
---`vitals.next_period("2017-03", -3)` is "2016-12".
---@param period string
---@param n? integer
---@return string
function vitals.next_period(period, n) end

---How many periods from `a` to `b` (negative when `b` is earlier). Both must be of the same length.
---@param a string
---@param b string
---@return integer
function vitals.periods_between(a, b) end

---The period for people: "Mar 2017", "Q1 2017", "2017", "2016/17".
---@param period string
---@return string
function vitals.period_label(period) end

---"month" or "months", "quarter(s)", "year(s)" for a frequency and a count (default 1).
---@param frequency vitals.Frequency
---@param n? integer
---@return string
function vitals.period_word(frequency, n) end

---Like pairs, in a fixed order (numbers first, then text), so messages come out the same every run.
---@generic K, V
---@param t table<K, V>
---@return fun(): K, V
function vitals.sorted_pairs(t) end

---Writes a line to the Vitals log (print does the same).
---@param ... any
function vitals.log(...) end
