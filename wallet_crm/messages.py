"""What the app tells its users, in one catalogue: a code, and its words in each language.

A service that refuses something raises a `KnownError` with a code and its parameters
(`KnownError(code="file.no_sheet", file=..., sheet=...)`); whoever shows it picks the language: the window its
interface language, the command line its own by the same rule (`preferences.resolve_language`). `str()`
of the error is the English sentence, for the log and the JSON the command line prints.

A template is `str.format` text. Where the English words depend on a number, the template is a dict of
plural forms, `one` and `other`, chosen by the parameter `count`; Chinese needs none. A parameter that is
itself in both languages is a `Localized` (a dict with an entry per language). A test walks every code
and checks both languages have it with the same parameters.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Final

LANGUAGES: Final = ("zh_CN", "en")
Template = str | Mapping[str, str]  # a sentence, or its plural forms {"one": ..., "other": ...}
Localized = Mapping[str, str]  # a parameter in each language, e.g. {"zh_CN": "数据库", "en": "the database"}

THE_DATABASE: Final[Localized] = {"zh_CN": "数据库", "en": "the database"}

CATALOGUE: Final[dict[str, dict[str, Template]]] = {
    # --- the database (db/errors.py, db/connection.py) ----------------------------------------------------
    "db.busy": {
        "en": "{subject} is busy: another program (an import, perhaps) is still writing to it; "
        "nothing was changed, try again when it has finished.",
        "zh_CN": "{subject}正忙：另一个程序（可能是导入）正在写入；什么都没有改动，请等它完成后再试。",
    },
    "db.busy_server": {
        "en": "{subject} is busy ({detail}): nothing was changed; try again in a moment.",
        "zh_CN": "{subject}正忙（{detail}）：什么都没有改动；请稍后再试。",
    },
    "db.read_only": {
        "en": "{subject} is read-only: nothing was changed; make the file and its folder writable "
        "(or copy it somewhere you may write and open the copy), then try again.",
        "zh_CN": "{subject}是只读的：什么都没有改动；请让文件和所在文件夹可写"
        "（或复制到可写的位置再打开副本），然后再试。",
    },
    "db.read_only_server": {
        "en": "{subject} is read-only for this user ({detail}): nothing was changed; "
        "ask its administrator for write access.",
        "zh_CN": "{subject}对该用户只读（{detail}）：什么都没有改动；请向管理员申请写权限。",
    },
    "db.disk_full": {
        "en": "The disk holding {database} is full: nothing was saved; free some space on it, then try again.",
        "zh_CN": "存放 {database} 的磁盘已满：什么都没有保存；请腾出空间后再试。",
    },
    "db.disk_full_server": {
        "en": "The server holding {database} is out of disk space: nothing was saved; ask its administrator.",
        "zh_CN": "存放 {database} 的服务器磁盘已满：什么都没有保存；请联系管理员。",
    },
    "db.io_error": {
        "en": "Can't read or write {database} ({detail}); check that its disk is connected and working, "
        "then try again.",
        "zh_CN": "无法读写 {database}（{detail}）；请检查磁盘是否连接且正常，然后再试。",
    },
    "db.io_error_server": {
        "en": "Lost the connection to {database} ({detail}); check the network and the server, then try again.",
        "zh_CN": "与 {database} 的连接断开（{detail}）；请检查网络和服务器，然后再试。",
    },
    "db.not_a_database": {
        "en": "{database} is damaged or not a wallet-crm database ({detail}).",
        "zh_CN": "{database} 已损坏，或不是 wallet-crm 数据库（{detail}）。",
    },
    "db.not_sqlite": {
        "en": "{database} is not a wallet-crm database (it is not a SQLite file).",
        "zh_CN": "{database} 不是 wallet-crm 数据库（它不是 SQLite 文件）。",
    },
    "db.other_tables": {
        "en": "{database} holds other tables: not a wallet-crm database.",
        "zh_CN": "{database} 里是别的表：不是 wallet-crm 数据库。",
    },
    "db.newer_schema": {
        "en": "{database} has schema version {found}, but this wallet-crm knows up to version {known}: "
        "update the app to open it.",
        "zh_CN": "{database} 由更新版本的 wallet-crm 写入（结构版本 {found}；本程序最高支持 {known}）。"
        "请先升级 wallet-crm 再打开。",
    },
    "db.folder": {
        "en": "{database} is a folder, not a database file.",
        "zh_CN": "{database} 是文件夹，不是数据库文件。",
    },
    "db.none_open": {"en": "No database is open.", "zh_CN": "没有打开数据库。"},
    # --- users and log-in (accounts/) --------------------------------------------------------------
    "account.no_name": {"en": "A user needs a name.", "zh_CN": "用户需要一个名字。"},
    "account.name_too_long": {
        "en": "A user's name can have at most {limit} characters.",
        "zh_CN": "用户名最多 {limit} 个字符。",
    },
    "account.admin_adds": {
        "en": "Sign in as an admin to add users (--user NAME).",
        "zh_CN": "请以管理员身份登录后再添加用户（命令行：--user 名字）。",
    },
    "account.first_admin": {
        "en": "The first user must be an admin, who can then add the others: use --role admin.",
        "zh_CN": "第一个用户必须是管理员，之后由管理员添加其他用户（命令行：--role admin）。",
    },
    "account.name_taken": {"en": "There is already a user named {name}.", "zh_CN": "已有名为 {name} 的用户。"},
    "account.wrong_password": {"en": "Wrong user name or password.", "zh_CN": "用户名或密码错误。"},
    "account.last_admin": {
        "en": "{name} is the only admin: make another user admin first.",
        "zh_CN": "{name} 是唯一的管理员：请先把另一位用户设为管理员。",
    },
    "account.no_such_user": {"en": "There is no user named {name}.", "zh_CN": "没有名为 {name} 的用户。"},
    "account.short_password": {
        "en": "A password needs at least {length} characters.",
        "zh_CN": "密码至少需要 {length} 个字符。",
    },
    "account.role_required": {
        "en": "{action} needs the {needed} role; {user} is signed in as {role}.",
        "zh_CN": "{action}需要{needed}权限；{user} 的角色是{role}。",
    },
    "account.unknown_role": {
        "en": "Unknown role {role!r}: use one of {roles}.",
        "zh_CN": "未知角色“{role}”：请用 {roles} 之一。",
    },
    # --- follow-up work (followup/) -----------------------------------------------------------------
    "followup.no_task": {"en": "There is no task {task}.", "zh_CN": "没有编号为 {task} 的任务。"},
    "followup.unknown_disposition": {
        "en": "Unknown disposition {value!r}; use one of {choices}.",
        "zh_CN": "未知的回访结果“{value}”；请用以下之一：{choices}。",
    },
    "followup.unknown_channel": {
        "en": "Unknown channel {value!r}; use one of {choices}.",
        "zh_CN": "未知的渠道“{value}”；请用以下之一：{choices}。",
    },
    "followup.csat_range": {
        "en": "Satisfaction (CSAT) is 1 to 5, not {value}.",
        "zh_CN": "满意度（CSAT）为 1 到 5，不能是 {value}。",
    },
    "followup.nps_range": {"en": "NPS is 0 to 10, not {value}.", "zh_CN": "NPS 为 0 到 10，不能是 {value}。"},
    "followup.unknown_category": {
        "en": "Unknown feedback category {value!r}; use one of {choices}.",
        "zh_CN": "未知的反馈类别“{value}”；请用以下之一：{choices}。",
    },
    "followup.unknown_topic": {
        "en": "Unknown topic {value!r}; the topics are: {choices}.",
        "zh_CN": "未知的话题“{value}”；可选话题：{choices}。",
    },
    "followup.notes_too_long": {
        "en": "Notes can have at most {limit} characters.",
        "zh_CN": "备注最多 {limit} 个字符。",
    },
    "followup.feedback_needs_reached": {
        "en": "Feedback needs a reached customer, but the disposition is {disposition}.",
        "zh_CN": "只有接通的客户才能记录反馈，但回访结果是 {disposition}。",
    },
    "followup.callback_needs_reached": {
        "en": "A callback time needs a reached customer who wants one, not {disposition}.",
        "zh_CN": "只有接通且需要回电的客户才能约回电时间，当前结果是 {disposition}。",
    },
    "followup.callback_past": {
        "en": "The callback time {at} is not in the future.",
        "zh_CN": "回电时间 {at} 不在将来。",
    },
    "followup.callback_outside_hours": {
        "en": "The callback time {at} is outside calling hours {start}-{end}.",
        "zh_CN": "回电时间 {at} 不在呼叫时段 {start}-{end} 内。",
    },
    "followup.task_closed": {
        "en": "Task {task} is closed ({status}); nothing was logged.",
        "zh_CN": "任务 {task} 已关闭（{status}）；没有记录任何内容。",
    },
    "followup.task_held": {
        "en": "Task {task} is being worked by {agent} until {until}.",
        "zh_CN": "任务 {task} 正由 {agent} 处理，到 {until} 为止。",
    },
    "followup.no_callable_phone": {
        "en": "Task {task}: the customer has no phone number that can be called, so they can't have been "
        "reached by phone; log the channel you reached them on (sms, email, in_app, wechat).",
        "zh_CN": "任务 {task}：该客户没有可拨打的电话号码，不可能通过电话接通；请记录实际联系上的渠道"
        "（sms、email、in_app、wechat）。",
    },
    "followup.agent_no_name": {"en": "An agent needs a name.", "zh_CN": "坐席需要一个名字。"},
    "followup.agent_name_too_long": {
        "en": "An agent's name can have at most {limit} characters.",
        "zh_CN": "坐席名字最多 {limit} 个字符。",
    },
    "followup.agent_name_taken": {
        "en": "There is already an agent named {name}.",
        "zh_CN": "已有名为 {name} 的坐席。",
    },
    "followup.no_agent_named": {
        "en": "There is no agent named {name}; add one first (wallet-crm agents add NAME).",
        "zh_CN": "没有名为 {name} 的坐席；请先添加（wallet-crm agents add 名字）。",
    },
    "followup.agent_inactive": {"en": "Agent {name} is inactive.", "zh_CN": "坐席 {name} 已停用。"},
    "followup.no_agent_id": {"en": "There is no agent with id {agent}.", "zh_CN": "没有编号为 {agent} 的坐席。"},
    "followup.share_needs_agents": {
        "en": "Choose at least one agent to share the tasks between.",
        "zh_CN": "请至少选择一位坐席来分配任务。",
    },
    "followup.no_customer_id": {
        "en": "There is no customer with id {customer}.",
        "zh_CN": "没有编号为 {customer} 的客户。",
    },
    "followup.no_phone_on_file": {
        "en": "This customer has no phone number on file.",
        "zh_CN": "该客户没有登记电话号码。",
    },
    # --- undoing an import (imports/history.py) ------------------------------------------------------
    "undo.no_batch": {"en": "There is no import batch {batch}.", "zh_CN": "没有编号为 {batch} 的导入批次。"},
    "undo.not_an_import": {
        "en": "Batch {batch} is {source} data, not an import; it can't be undone.",
        "zh_CN": "批次 {batch} 是{source}数据，不是导入，不能撤销。",
    },
    "undo.already_undone": {
        "en": "Batch {batch} ({file}) was already undone at {at}.",
        "zh_CN": "批次 {batch}（{file}）已于 {at} 撤销。",
    },
    "undo.referred_to": {
        "en": "Batch {batch} ({file}) can't be undone: follow-up work (tasks or contact records) "
        "refers to its transactions or customers.",
        "zh_CN": "批次 {batch}（{file}）不能撤销：有回访工作（任务或联系记录）引用了它的交易或客户。",
    },
    "undo.refused": {
        "en": "Batch {batch} ({file}) can't be undone: {reasons}.",
        "zh_CN": "批次 {batch}（{file}）不能撤销：{reasons}。",
    },
    "undo.tasks_worked": {
        "en": {
            "one": "{count:,} follow-up task was worked on because of its transactions",
            "other": "{count:,} follow-up tasks were worked on because of its transactions",
        },
        "zh_CN": "有 {count:,} 个因其交易产生的回访任务已经处理过",
    },
    "undo.customers_contacted": {
        "en": {
            "one": "{count:,} customer it created has been contacted or had their phone number revealed",
            "other": "{count:,} customers it created have been contacted or had their phone number revealed",
        },
        "zh_CN": "它创建的客户中有 {count:,} 位已被联系或查看过完整号码",
    },
    # --- a file that can't be imported (imports/safety.py, imports/readers.py) ------------------------
    "file.missing": {"en": "{file}: no such file.", "zh_CN": "{file}：文件不存在。"},
    "file.folder": {"en": "{file} is a folder, not a file.", "zh_CN": "{file} 是文件夹，不是文件。"},
    "file.unreadable": {"en": "{file}: can't read it ({reason}).", "zh_CN": "{file}：无法读取（{reason}）。"},
    "file.empty": {"en": "{file} is empty.", "zh_CN": "{file} 是空文件。"},
    "file.bad_workbook": {
        "en": "{file} is damaged: it starts like a workbook but is not a valid one.",
        "zh_CN": "{file} 已损坏：开头像工作簿，但不是有效的工作簿。",
    },
    "file.zip_not_excel": {
        "en": "{file} is a zip file but not an Excel workbook.",
        "zh_CN": "{file} 是 zip 压缩包，不是 Excel 工作簿。",
    },
    "file.xlsb": {
        "en": "{file} is a binary workbook (.xlsb); save it as .xlsx and import that.",
        "zh_CN": "{file} 是二进制工作簿（.xlsb）；请另存为 .xlsx 后再导入。",
    },
    "file.too_many_parts": {
        "en": "{file} has {parts:,} parts; refusing it as unsafe.",
        "zh_CN": "{file} 含有 {parts:,} 个部件；出于安全考虑拒绝读取。",
    },
    "file.bomb_ratio": {
        "en": "{file} is refused as unsafe: a part expands {ratio:,} times (a decompression bomb).",
        "zh_CN": "{file} 因不安全被拒绝：其中一个部件解压后膨胀 {ratio:,} 倍（解压炸弹）。",
    },
    "file.too_big": {
        "en": "{file} is refused: it would expand to {size} GiB, more than the {limit} GiB that can be read safely "
        "(a decompression bomb, or about 2 million rows or more: split it into smaller files).",
        "zh_CN": "{file} 被拒绝：解压后将达 {size} GiB，超过可安全读取的 {limit} GiB"
        "（可能是解压炸弹，或约 200 万行以上：请拆成较小的文件）。",
    },
    "file.encrypted_zip": {
        "en": "{file} is password-protected (an encrypted zip); remove the password first.",
        "zh_CN": "{file} 设有密码（加密的 zip）；请先去掉密码。",
    },
    "file.unusual_compression": {
        "en": "{file} can't be checked: a part is compressed with an unusual method ({method}); "
        "open it in Excel and save it again.",
        "zh_CN": "{file} 无法检查：其中一个部件用了不常见的压缩方式（{method}）；请用 Excel 打开后重新保存。",
    },
    "file.bad_xls": {
        "en": "{file} is damaged: it starts like an old Excel file but is not one.",
        "zh_CN": "{file} 已损坏：开头像旧版 Excel 文件，但并不是。",
    },
    "file.password": {
        "en": "{file} is password-protected; remove the password in Excel and import again.",
        "zh_CN": "{file} 设有密码；请在 Excel 中去掉密码后再导入。",
    },
    "file.office_not_excel": {
        "en": "{file} is an Office document but not an Excel workbook.",
        "zh_CN": "{file} 是 Office 文档，但不是 Excel 工作簿。",
    },
    "file.not_spreadsheet_kind": {
        "en": "{file} is {kind}, not a spreadsheet.",
        "zh_CN": "{file} 是{kind}，不是表格文件。",
    },
    "file.binary": {
        "en": "{file} is not a spreadsheet (it holds binary data).",
        "zh_CN": "{file} 不是表格文件（内容是二进制数据）。",
    },
    "file.web_page": {
        "en": "{file} is a web page or XML file, not a spreadsheet; open it in Excel and save it as .xlsx.",
        "zh_CN": "{file} 是网页或 XML 文件，不是表格；请用 Excel 打开并另存为 .xlsx。",
    },
    "file.password_short": {
        "en": "{file} is password-protected; remove the password first.",
        "zh_CN": "{file} 设有密码；请先去掉密码。",
    },
    "file.damaged": {
        "en": "{file} is damaged and can't be read ({detail}).",
        "zh_CN": "{file} 已损坏，无法读取（{detail}）。",
    },
    "file.no_sheet": {"en": "{file} has no sheet named {sheet!r}.", "zh_CN": "{file} 中没有名为“{sheet}”的工作表。"},
    "file.sheet_password": {"en": "{file} is password-protected.", "zh_CN": "{file} 设有密码。"},
    "file.sheet_damaged": {
        "en": "{file}: sheet {sheet!r} is damaged ({detail}).",
        "zh_CN": "{file}：工作表“{sheet}”已损坏（{detail}）。",
    },
    "file.no_defusedxml": {
        "en": "{file} can't be read safely: the defusedxml package is missing.",
        "zh_CN": "{file} 无法安全读取：缺少 defusedxml 组件。",
    },
    "file.bad_csv": {
        "en": "{file}, line {line}: not valid CSV ({detail}).",
        "zh_CN": "{file} 第 {line} 行：不是有效的 CSV（{detail}）。",
    },
    "file.encoding": {
        "en": "{file} is neither UTF-8 nor GBK/GB18030 text; save it from Excel as “CSV UTF-8” and import that.",
        "zh_CN": "{file} 既不是 UTF-8 也不是 GBK/GB18030 文本；请在 Excel 中另存为“CSV UTF-8”后再导入。",
    },
    # --- settings (followup/settings.py, imports/settings.py) ---------------------------------------
    "settings.calling_hours": {
        "en": "Calling hours must start before they end (e.g. 09:00-21:00).",
        "zh_CN": "呼叫时段的开始必须早于结束（例如 09:00-21:00）。",
    },
    "settings.script_too_long": {
        "en": "The script for {reason} is longer than {limit} characters.",
        "zh_CN": "{reason} 的话术超过 {limit} 个字符。",
    },
    "settings.topic_length": {
        "en": "Each topic needs 1 to {limit} characters.",
        "zh_CN": "每个话题需要 1 到 {limit} 个字符。",
    },
    "settings.topics_distinct": {
        "en": "Topics must be different from each other, at most {limit} of them.",
        "zh_CN": "话题不能重复，最多 {limit} 个。",
    },
    "settings.unknown_zone": {
        "en": "Unknown time zone {zone!r}; use a name like Asia/Shanghai or UTC+8.",
        "zh_CN": "未知时区“{zone}”；请用 Asia/Shanghai 或 UTC+8 这样的写法。",
    },
    "settings.limit_range": {
        "en": "The plausibility limit must be between {low:,} and {high:,}.",
        "zh_CN": "合理金额上限必须在 {low:,} 到 {high:,} 之间。",
    },
    # --- what `wallet-crm import` prints (cli_imports.py) ------------------------------------------------------
    "cli.import_done": {
        "en": "{file}: read as {source}; inserted {inserted:,}, duplicates {duplicates:,}, rejected {rejected:,}, "
        "skipped {skipped:,}{held}; customers created {created:,}, updated {updated:,} (batch {batch})",
        "zh_CN": "{file}：按“{source}”读取；新增 {inserted:,} 条，重复 {duplicates:,} 条，拒绝 {rejected:,} 条，"
        "跳过 {skipped:,} 条{held}；新建客户 {created:,} 位，更新 {updated:,} 位（批次 {batch}）",
    },
    "cli.import_nothing_new": {
        "en": "{file}: read as {source}; inserted {inserted:,}, duplicates {duplicates:,}, rejected {rejected:,}, "
        "skipped {skipped:,}{held}; customers created {created:,}, updated {updated:,} (nothing new: no batch)",
        "zh_CN": "{file}：按“{source}”读取；新增 {inserted:,} 条，重复 {duplicates:,} 条，拒绝 {rejected:,} 条，"
        "跳过 {skipped:,} 条{held}；新建客户 {created:,} 位，更新 {updated:,} 位（没有新数据：不记批次）",
    },
    "cli.import_dry_run": {
        "en": "{file}: read as {source}; would insert {inserted:,}, duplicates {duplicates:,}, rejected {rejected:,}, "
        "skipped {skipped:,}{held}; customers created {created:,}, updated {updated:,} (dry run: nothing written)",
        "zh_CN": "{file}：按“{source}”读取；将新增 {inserted:,} 条，重复 {duplicates:,} 条，拒绝 {rejected:,} 条，"
        "跳过 {skipped:,} 条{held}；将新建客户 {created:,} 位，更新 {updated:,} 位（试运行：什么都没有写入）",
    },
    "cli.import_held": {"en": ", held {held:,} (unknown words)", "zh_CN": "，挂起 {held:,} 条（有未对应的词）"},
    "cli.import_profile": {"en": "  profile: {profile}", "zh_CN": "  配置：{profile}"},
    "cli.import_error": {
        "en": "  row {row}, {field} {value}: {reason}",
        "zh_CN": "  第 {row} 行，{field} {value}：{reason}",
    },
    "cli.import_more_errors": {
        "en": {"one": "  ... and {count:,} more error", "other": "  ... and {count:,} more errors"},
        "zh_CN": "  ……另有 {count:,} 个错误",
    },
    "cli.import_warning": {
        "en": "  warning: row {row}, {field} {value}: {reason}",
        "zh_CN": "  警告：第 {row} 行，{field} {value}：{reason}",
    },
    "cli.import_more_warnings": {
        "en": {"one": "  ... and {count:,} more warning", "other": "  ... and {count:,} more warnings"},
        "zh_CN": "  ……另有 {count:,} 个警告",
    },
    "cli.import_unknown_word": {
        "en": "  unknown {label} word {shown}: {count:,} rows{example}; map it with --word {field}:{word}=CODE",
        "zh_CN": "  未对应的{label}词 {shown}：{count:,} 行{example}；用 --word {field}:{word}=CODE 对应",
    },
    "cli.import_example_row": {"en": ", e.g. row {row}", "zh_CN": "，例如第 {row} 行"},
    "cli.queue_after_import": {
        "en": "follow-up queue: {created:,} new tasks, {open:,} open",
        "zh_CN": "回访队列：新任务 {created:,} 个，待处理 {open:,} 个",
    },
    # --- what the other everyday commands print (cli.py, cli_imports.py, cli_reports.py) -----------------------
    "cli.queue_built": {
        "en": "Queue built as of {as_of}: {created:,} created, {updated:,} updated, {closed:,} closed; {open:,} open.",
        "zh_CN": "回访队列已按 {as_of} 生成：新建 {created:,} 个，更新 {updated:,} 个，关闭 {closed:,} 个；"
        "待处理 {open:,} 个。",
    },
    "cli.outcome_logged": {
        "en": "Logged attempt {attempt} on task {task}: {state}{follow}.",
        "zh_CN": "已记录联系 {attempt}（任务 {task}）：{state}{follow}。",
    },
    "cli.outcome_open": {"en": "open, next call from {at}", "zh_CN": "仍待处理，{at} 起再次联系"},
    "cli.outcome_follow_up": {"en": "; follow-up task {task}", "zh_CN": "；跟进任务 {task}"},
    "cli.undo_done": {
        "en": "Batch {batch} undone: {transactions:,} transactions and {customers:,} customers removed{kept}.",
        "zh_CN": "批次 {batch} 已撤销：删除交易 {transactions:,} 条、客户 {customers:,} 位{kept}。",
    },
    "cli.undo_kept": {
        "en": {
            "one": "; {count:,} customer kept (a later import uses them)",
            "other": "; {count:,} customers kept (a later import uses them)",
        },
        "zh_CN": "；保留客户 {count:,} 位（之后的导入用到了他们）",
    },
    "cli.exported": {
        "en": "Exported {kind}: {rows:,} rows to {file} ({phones}).",
        "zh_CN": "已导出 {kind}：{rows:,} 行，写入 {file}（{phones}）。",
    },
    "cli.export_phones_masked": {"en": "phone numbers masked", "zh_CN": "手机号已打码"},
    "cli.export_phones_full": {"en": "full phone numbers (recorded)", "zh_CN": "完整手机号（已记录）"},
    "cli.export_phones_report": {"en": "figures only, no phone numbers", "zh_CN": "只有数字，没有手机号"},
    "cli.backup_written": {
        "en": "Backup written: {file} ({size}, schema version {version}).",
        "zh_CN": "备份已写入：{file}（{size}，数据库结构版本 {version}）。",
    },
    "cli.backup_today_written": {
        "en": "Today's backup written: {file} ({kept} kept{removed}).",
        "zh_CN": "今天的备份已写入：{file}（保留 {kept} 份{removed}）。",
    },
    "cli.backup_today_there": {
        "en": "Today's backup was already there: {file} ({kept} kept{removed}).",
        "zh_CN": "今天的备份已经有了：{file}（保留 {kept} 份{removed}）。",
    },
    "cli.backup_pruned": {"en": "; {count} older removed", "zh_CN": "，删除较早的 {count} 份"},
    "cli.restored": {
        "en": "Restored {source} into {database} (schema version {version}){kept}.",
        "zh_CN": "已用 {source} 恢复 {database}（数据库结构版本 {version}）{kept}。",
    },
    "cli.restore_kept": {"en": "; the previous one is kept as {file}", "zh_CN": "；原来的数据库保留为 {file}"},
    "cli.status": {
        "en": "schema version  {version}\ndatabase        {database}\nbackend         {backend}\n"
        "customers       {customers:,}\ntransactions    {transactions:,}\nimport batches  {batches:,}\n"
        "demo data       {demo}",
        "zh_CN": "数据库结构版本  {version}\n数据库          {database}\n类型            {backend}\n"
        "客户            {customers:,}\n交易            {transactions:,}\n导入批次        {batches:,}\n"
        "演示数据        {demo}",
    },
    "cli.yes": {"en": "yes", "zh_CN": "是"},
    "cli.no": {"en": "no", "zh_CN": "否"},
    "cli.demo_written": {
        "en": "Demo database written: {file}\n{customers:,} customers, {transactions:,} transactions\n"
        "Open it with: wallet-crm --db {file}",
        "zh_CN": "演示数据库已写入：{file}\n客户 {customers:,} 位，交易 {transactions:,} 条\n"
        "打开方式：wallet-crm --db {file}",
    },
    "cli.agent_added": {"en": "Agent {name} added (id {id}).", "zh_CN": "已添加坐席 {name}（编号 {id}）。"},
    "cli.active": {"en": "active", "zh_CN": "在用"},
    "cli.inactive": {"en": "inactive", "zh_CN": "已停用"},
    "cli.user_added": {"en": "Added {name} ({role}).", "zh_CN": "已添加用户 {name}（{role}）。"},
    "cli.password_changed": {"en": "Changed the password of {name}.", "zh_CN": "已修改 {name} 的密码。"},
    "cli.role_changed": {"en": "{name} is now {role}.", "zh_CN": "{name} 的角色现在是 {role}。"},
    "cli.no_imports": {"en": "No imports yet.", "zh_CN": "还没有导入过。"},
    # Tables' column titles, "|"-separated, in the order the table prints them.
    "cli.imports_columns": {
        "en": "batch|imported at|by|inserted|dupl.|rejected|file",
        "zh_CN": "批次|导入时间|导入人|新增|重复|拒绝|文件",
    },
    "cli.imports_undone": {"en": "  (undone {at})", "zh_CN": "（已于 {at} 撤销）"},
    "cli.no_tasks": {"en": "No tasks.", "zh_CN": "没有任务。"},
    "cli.queue_columns": {
        "en": "task|prio|due|tries|status|assignee|explanation",
        "zh_CN": "任务|优先|到期|次数|状态|负责人|原因",
    },
    "cli.no_phone": {"en": "(no phone: use another channel)", "zh_CN": "（没有电话：请用其他渠道联系）"},
    "cli.next_task": {
        "en": "{who}  (task {task}, priority {priority})",
        "zh_CN": "{who}（任务 {task}，优先级 {priority}）",
    },
    "cli.profiles_saved": {"en": "Saved profiles:", "zh_CN": "已保存的配置："},
    "cli.profiles_none": {"en": "Saved profiles: none yet", "zh_CN": "已保存的配置：还没有"},
    "cli.profiles_builtin": {"en": "Built-in formats:", "zh_CN": "内置格式："},
    "cli.copy_progress": {
        "en": {"one": "  {table}: {count:,} row", "other": "  {table}: {count:,} rows"},
        "zh_CN": "  {table}：{count:,} 行",
    },
    "cli.copy_columns": {"en": "table|source|target", "zh_CN": "表|来源|目标"},
    "cli.profile_saved": {"en": "Profile '{name}' saved.", "zh_CN": "配置“{name}”已保存。"},
    "cli.profile_deleted": {"en": "Profile '{name}' deleted.", "zh_CN": "配置“{name}”已删除。"},
    "cli.profile_written": {"en": "Profile '{name}' written to {file}.", "zh_CN": "配置“{name}”已写入 {file}。"},
    "cli.copy_complete": {"en": "Every row was copied.", "zh_CN": "每一行都已复制。"},
    "cli.copy_differs": {
        "en": "Some counts differ: check the tables above.",
        "zh_CN": "有些数量不一致：请查看上面的表。",
    },
    "import.unknown_words": {
        "en": "{file}: words nobody has mapped yet: {words}. Nothing was imported. Map each once "
        "(in the import wizard, or e.g. {hint}); the mapping is kept for files like this one.",
        "zh_CN": "{file}：有尚未对应的词：{words}。什么都没有导入。请把每个词对应一次"
        "（在导入向导中，或用例如 {hint}）；对应关系会保存下来，用于同类文件。",
    },
    "import.reader_stopped": {
        "en": "Import of {file} stopped: the process reading the file ended unexpectedly (exit code {exit_code}); "
        "nothing was written. Try again; if it happens again, close other programs (the computer may be short "
        "of memory).",
        "zh_CN": "{file} 的导入已停止：读取文件的进程意外结束（退出码 {exit_code}）；什么都没有写入。请再试一次；"
        "如果再次发生，请关闭其他程序（电脑内存可能不足）。",
    },
    "settings.out_of_range": {
        "en": "{what} must be a whole number from {low} to {high}, not {value}.",
        "zh_CN": "{what}必须是 {low} 到 {high} 之间的整数，不能是 {value}。",
    },
    "settings.rules_unknown": {
        "en": "The follow-up settings must configure exactly the known rules and their numbers.",
        "zh_CN": "回访设置只能配置已知的规则及其参数。",
    },
    "settings.exempt_unknown": {
        "en": "Unknown reason in the cooldown exemptions: {reason}.",
        "zh_CN": "冷却豁免中有未知原因：{reason}。",
    },
    "settings.script_unknown": {
        "en": "There is no rule {reason} to hold a script.",
        "zh_CN": "没有名为 {reason} 的规则可以保存话术。",
    },
    # --- files the app writes (exports, rejected rows, backups) -------------------------------------
    "write.disk_full": {
        "en": "Can't write {path}: the disk is full (or the file is larger than it allows). "
        "Nothing was saved; free some space and export again.",
        "zh_CN": "无法写入 {path}：磁盘已满（或文件超过了磁盘允许的大小）。什么都没有保存；请腾出空间后重新导出。",
    },
    "write.failed": {"en": "Can't write {path}: {reason}.", "zh_CN": "无法写入 {path}：{reason}。"},
    "write.open_in_excel": {
        "en": "Can't write {path}: {reason}. Is it open in Excel?",
        "zh_CN": "无法写入 {path}：{reason}。它是否正在 Excel 中打开？",
    },
    "write.same_as_import": {
        "en": "Choose another file name: {file} is the file being imported.",
        "zh_CN": "请换一个文件名：{file} 是正在导入的文件。",
    },
    "write.cant_save": {"en": "Can't save {file}: {reason}.", "zh_CN": "无法保存 {file}：{reason}。"},
    "backup.postgres": {
        "en": "{database} is a PostgreSQL database: back it up and restore it with the server's own "
        "tools (pg_dump and pg_restore); wallet-crm backs up SQLite files only.",
        "zh_CN": "{database} 是 PostgreSQL 数据库：请用服务器自带的工具（pg_dump 和 pg_restore）备份和恢复；"
        "wallet-crm 只备份 SQLite 文件。",
    },
    "backup.nothing": {
        "en": "{path} does not exist: there is nothing to back up.",
        "zh_CN": "{path} 不存在：没有可备份的内容。",
    },
    "backup.target_folder": {
        "en": "{target} is a folder: name the backup file, e.g. {example}.",
        "zh_CN": "{target} 是文件夹：请写出备份文件名，例如 {example}。",
    },
    "backup.target_is_database": {
        "en": "{target} is the database itself: choose another name for the backup.",
        "zh_CN": "{target} 就是数据库本身：请为备份另取一个名字。",
    },
    "backup.target_not_backup": {
        "en": "{target} exists and is not a backup: nothing was written; choose another name.",
        "zh_CN": "{target} 已存在且不是备份文件：什么都没有写入；请换一个名字。",
    },
    "backup.cant_write": {
        "en": "Can't write the backup {target}: {reason}.",
        "zh_CN": "无法写入备份 {target}：{reason}。",
    },
    "backup.no_source": {
        "en": "{source} does not exist or is not a file: nothing was changed.",
        "zh_CN": "{source} 不存在或不是文件：什么都没有改动。",
    },
    "backup.source_is_database": {
        "en": "{source} is the database itself: choose a backup file to restore.",
        "zh_CN": "{source} 就是数据库本身：请选择要恢复的备份文件。",
    },
    "backup.cant_restore": {
        "en": "Can't restore into {path}: {reason}; nothing was changed.",
        "zh_CN": "无法恢复到 {path}：{reason}；什么都没有改动。",
    },
    "backup.cant_make_folder": {
        "en": "Can't create the folder {folder}: {reason}.",
        "zh_CN": "无法创建文件夹 {folder}：{reason}。",
    },
    # --- long work stopped by the user -----------------------------------------------------------------
    "cancelled.import": {
        "en": "Import of {file} cancelled; nothing was written.",
        "zh_CN": "已取消导入 {file}；什么都没有写入。",
    },
    "cancelled.build": {
        "en": "Queue build cancelled; nothing was changed.",
        "zh_CN": "已取消重建回访队列；什么都没有改动。",
    },
    "cancelled.demo": {
        "en": "Demo data cancelled; nothing was written.",
        "zh_CN": "已取消生成演示数据；什么都没有写入。",
    },
    "cancelled.backup": {"en": "Cancelled: nothing was changed.", "zh_CN": "已取消：什么都没有改动。"},
    # --- why an imported cell can't be used, or what the import noticed (imports/reasons.py) ----------
    "reason.missing": {
        "en": "missing",
        "zh_CN": "缺失",
    },
    "reason.not_id": {
        "en": "not an id",
        "zh_CN": "不是编号",
    },
    "reason.id_decimals": {
        "en": "not an id (a number with decimals)",
        "zh_CN": "不是编号（带小数的数字）",
    },
    "reason.id_lost_digits": {
        "en": "the id was saved as a number and lost digits; format the column as text",
        "zh_CN": "编号被存成数字而丢失了位数；请把该列设为文本格式",
    },
    "reason.not_amount": {
        "en": "not an amount of money",
        "zh_CN": "不是金额",
    },
    "reason.amount_too_large": {
        "en": "amount too large",
        "zh_CN": "金额过大",
    },
    "reason.too_many_decimals": {
        "en": "more than {decimals} decimals for {currency}",
        "zh_CN": "{currency} 金额的小数超过 {decimals} 位",
    },
    "reason.ambiguous_decimal_comma": {
        "en": "ambiguous: the comma may be a decimal mark or a thousands separator; write 12.34 or 1,234",
        "zh_CN": "有歧义：逗号可能是小数点也可能是千位分隔符；请写成 12.34 或 1,234",
    },
    "reason.not_date": {
        "en": "not a date",
        "zh_CN": "不是日期",
    },
    "reason.not_time": {
        "en": "not a time of day",
        "zh_CN": "不是时刻",
    },
    "reason.not_phone": {
        "en": "not a phone number",
        "zh_CN": "不是电话号码",
    },
    "reason.masked_phone": {
        "en": "not a phone number: masked like 138****8000 (export full numbers, or include the customer id)",
        "zh_CN": "号码被遮掩（如 138****8000）：请导出完整号码，或带上客户编号",
    },
    "reason.unknown_currency": {
        "en": "unknown currency",
        "zh_CN": "未知币种",
    },
    "reason.unknown_timezone": {
        "en": "unknown time zone",
        "zh_CN": "未知时区",
    },
    "reason.no_customer": {
        "en": "the row names no customer (no customer id, phone, user id, email or counterparty)",
        "zh_CN": "该行没有客户信息（无客户编号、手机、用户标识、邮箱或交易对方）",
    },
    "reason.phone_not_callable": {
        "en": "not a valid phone number: kept as written, not called",
        "zh_CN": "不是有效的电话号码：按原样保存，不会拨打",
    },
    "reason.amount_implausible": {
        "en": "amount above the plausibility limit of {limit}",
        "zh_CN": "金额超过合理上限 {limit}",
    },
    "reason.date_order_assumed": {
        "en": "dates like {example} can be day-first or month-first; read as {order}",
        "zh_CN": "{example} 这样的日期可能是日在前也可能是月在前；已按{order}读取",
    },
    # --- what an import did (the wizard's summary) --------------------------------------------------
    "import.inserted": {
        "en": {"one": "Imported {count:,} new transaction.", "other": "Imported {count:,} new transactions."},
        "zh_CN": "已导入 {count:,} 笔新交易。",
    },
    "import.insertable": {
        "en": {
            "one": "{count:,} new transaction can be imported.",
            "other": "{count:,} new transactions can be imported.",
        },
        "zh_CN": "可导入 {count:,} 笔新交易。",
    },
    "import.duplicates": {
        "en": {
            "one": "{count:,} already in the database or twice in the file.",
            "other": "{count:,} already in the database or twice in the file.",
        },
        "zh_CN": "{count:,} 行已在数据库中或在文件中重复出现。",
    },
    "import.rejected": {
        "en": {"one": "{count:,} row rejected.", "other": "{count:,} rows rejected."},
        "zh_CN": "{count:,} 行被拒绝。",
    },
    "import.skipped": {
        "en": {"one": "{count:,} blank or total row skipped.", "other": "{count:,} blank or total rows skipped."},
        "zh_CN": "跳过 {count:,} 行空行或合计行。",
    },
    "import.held": {
        "en": {
            "one": "{count:,} row held until its status or direction word is mapped.",
            "other": "{count:,} rows held until their status or direction word is mapped.",
        },
        "zh_CN": "{count:,} 行暂缓导入，待其状态或收支词语选好含义。",
    },
    "import.warnings": {
        "en": {
            "one": "{count:,} warning: that row goes in all the same.",
            "other": "{count:,} warnings: those rows go in all the same.",
        },
        "zh_CN": "{count:,} 条提醒：这些行照样导入。",
    },
    "import.customers": {
        "en": "New customers: {created:,}, updated: {updated:,}.",
        "zh_CN": "新客户 {created:,} 位，更新 {updated:,} 位。",
    },
    # --- formats, profiles, mappings, connections, the command line (catalogue-rest) ---
    # An import format or profile as JSON (imports/format.py, imports/formats/); `where` names the file or
    # profile and the place in it, in each language.
    "format.not_object": {
        "en": "{where}: a format is a JSON object.",
        "zh_CN": "{where}：格式必须是一个 JSON 对象。",
    },
    "format.unknown_keys": {"en": "{where}: unknown key(s) {keys}.", "zh_CN": "{where}：未知的键 {keys}。"},
    "format.bad_id": {
        "en": "{where}: `id` (a profile's name) is 1 to 64 characters without / or \\.",
        "zh_CN": "{where}：`id`（配置的名字）须为 1 到 64 个字符，且不含 / 或 \\。",
    },
    "format.bad_name": {
        "en": '{where}: `name` must map languages to names, e.g. {{"zh_CN": ..., "en": ...}}.',
        "zh_CN": '{where}：`name` 须把语言对应到名字，例如 {{"zh_CN": ..., "en": ...}}。',
    },
    "format.unknown_zone": {"en": "{where}: unknown time zone {zone!r}.", "zh_CN": "{where}：未知时区“{zone}”。"},
    "format.flags": {
        "en": "{where}: `signed_amounts`, `refunds_share_ids` and `derive_ids` are true or false.",
        "zh_CN": "{where}：`signed_amounts`、`refunds_share_ids` 和 `derive_ids` 只能是 true 或 false。",
    },
    "format.choice": {
        "en": "{where}: `{key}` is one of {choices}.",
        "zh_CN": "{where}：`{key}` 须为以下之一：{choices}。",
    },
    "format.not_texts": {"en": "{where} must be a list of texts.", "zh_CN": "{where} 必须是文本列表。"},
    "format.empty_text": {"en": "{where} holds an empty text.", "zh_CN": "{where} 中有空文本。"},
    "format.unknown_field": {
        "en": "{where}: unknown field {name!r} (known: {fields}).",
        "zh_CN": "{where}：未知字段“{name}”（可用字段：{fields}）。",
    },
    "format.columns_shape": {
        "en": "{where}: `columns` maps fields to lists of header texts.",
        "zh_CN": "{where}：`columns` 须把字段对应到表头文本的列表。",
    },
    "format.words_shape": {
        "en": "{where}: `words` maps status, txn_type or direction to {{word: code}}.",
        "zh_CN": "{where}：`words` 须把 status、txn_type 或 direction 对应到 {{词语: 代码}}。",
    },
    "format.words_field": {
        "en": "{where}: words for {name!r}: only {fields} have words.",
        "zh_CN": "{where}：“{name}”不能有词语，只有 {fields} 可以有。",
    },
    "format.words_map": {
        "en": "{where}: words.{name} maps words to codes.",
        "zh_CN": "{where}：words.{name} 须把词语对应到代码。",
    },
    "format.word_code": {
        "en": "{where}: words.{name}: {word!r} -> {value!r}; codes are {codes}.",
        "zh_CN": "{where}：words.{name}：“{word}”对应的“{value}”不是有效代码；可用代码：{codes}。",
    },
    "format.empty_word": {
        "en": "{where}: words.{name} holds an empty word.",
        "zh_CN": "{where}：words.{name} 中有空词语。",
    },
    "format.codes_map": {"en": "{where} maps fields to codes.", "zh_CN": "{where} 须把字段对应到代码。"},
    "format.unknown_currency": {
        "en": "{where}: unknown currency {value!r}.",
        "zh_CN": "{where}：未知币种“{value}”。",
    },
    "format.no_default": {
        "en": "{where}: only currency, {fields} have defaults, not {name!r}.",
        "zh_CN": "{where}：只有 currency、{fields} 可以有默认值，“{name}”不可以。",
    },
    "format.default_code": {
        "en": "{where}: {name} {value!r}; codes are {codes}.",
        "zh_CN": "{where}：{name} 的“{value}”不是有效代码；可用代码：{codes}。",
    },
    "format.bad_rule": {
        "en": '{where}: a rule is {{"if": {{field: [words]}}, "columns": ..., "set": ...}}.',
        "zh_CN": '{where}：规则须写成 {{"if": {{字段: [词语]}}, "columns": ..., "set": ...}}。',
    },
    "format.ids_twice": {
        "en": "formats/: the id(s) {ids} are used twice.",
        "zh_CN": "formats/：编号 {ids} 被用了两次。",
    },
    # Saved profiles (imports/profiles.py, `wallet-crm profiles`, `import --profile`).
    "profile.no_header": {
        "en": "Profile {profile}: a profile needs the header row it was made from.",
        "zh_CN": "配置“{profile}”：配置需要它所依据的表头行。",
    },
    "profile.not_json": {"en": "{where}: not JSON ({detail}).", "zh_CN": "{where}：不是 JSON（{detail}）。"},
    "profile.needs_header": {
        "en": "{where}: a profile needs `header`, the header row it was made from.",
        "zh_CN": "{where}：配置需要 `header`，即它所依据的表头行。",
    },
    "profile.unknown": {
        "en": "No profile or format named {name!r}; known: {known}.",
        "zh_CN": "没有名为“{name}”的配置或格式；现有：{known}。",
    },
    "profile.not_saved": {"en": "No saved profile named {name!r}.", "zh_CN": "没有名为“{name}”的已保存配置。"},
    "profile.no_such": {
        "en": "No profile or built-in format named {name!r} (see `wallet-crm profiles list`).",
        "zh_CN": "没有名为“{name}”的配置或内置格式（见 `wallet-crm profiles list`）。",
    },
    "profile.cant_write": {"en": "{file}: can't write it ({reason}).", "zh_CN": "{file}：无法写入（{reason}）。"},
    # The user's column mapping (imports/layout.py: the wizard's corrections, `import --map`).
    "mapping.unknown_fields": {
        "en": "{where}: unknown field(s) in the column mapping: {fields}.",
        "zh_CN": "{where}：列映射中有未知字段：{fields}。",
    },
    "mapping.outside": {
        "en": "{where}: the mapping names columns the header row does not have ({columns}).",
        "zh_CN": "{where}：映射指定的列在表头行中不存在（{columns}）。",
    },
    "mapping.column_twice": {
        "en": "{where}: the mapping uses one column for two fields.",
        "zh_CN": "{where}：映射把同一列用于两个字段。",
    },
    "mapping.unknown_field": {
        "en": "{where}: unknown field {name!r}; fields are {fields}.",
        "zh_CN": "{where}：未知字段“{name}”；可用字段：{fields}。",
    },
    "mapping.no_column": {
        "en": "{where}: no column {column!r} in the header row ({shown}).",
        "zh_CN": "{where}：表头行中没有“{column}”这一列（现有的列：{shown}）。",
    },
    # A file's sheets, rows and header (imports/service.py, imports/xlsx_stream.py).
    "file.no_sheet_listed": {
        "en": "{file} has no sheet named {sheet!r} (it has {names}).",
        "zh_CN": "{file} 中没有名为“{sheet}”的工作表（现有：{names}）。",
    },
    "file.no_row": {"en": "{file} has no row {row}.", "zh_CN": "{file} 没有第 {row} 行。"},
    "file.no_header": {
        "en": "No header row found in {where}: expected columns such as 交易单号、交易时间、金额 in the first rows.",
        "zh_CN": "在 {where} 中没有找到表头行：前几行中应有 交易单号、交易时间、金额 这样的列。",
    },
    "file.no_column_for": {
        "en": "{where}: no column for {fields}; map the columns in the import wizard or with --map FIELD=COLUMN.",
        "zh_CN": "{where}：找不到以下字段的列：{fields}；请在导入向导中选择列，或用 --map 字段=列 指定。",
    },
    "file.no_customer": {
        "en": "{file} names no customer: no row has a customer id, phone, user id, email or counterparty, "
        "so there is nobody to follow up; nothing was imported.",
        "zh_CN": "{file} 中没有客户信息：没有一行有客户编号、手机、用户标识、邮箱或交易对方，"
        "因此没有可回访的人；什么都没有导入。",
    },
    "file.no_customer_recognised": {
        "en": "{file} (recognised as {format}) names no customer: no row has a customer id, phone, user id, "
        "email or counterparty, so there is nobody to follow up; nothing was imported.",
        "zh_CN": "{file}（识别为{format}）中没有客户信息：没有一行有客户编号、手机、用户标识、邮箱或交易对方，"
        "因此没有可回访的人；什么都没有导入。",
    },
    "file.part_refused": {
        "en": "{file} can't be read: {detail}; open it in Excel and save it again.",
        "zh_CN": "{file} 无法读取：{detail}；请用 Excel 打开后重新保存。",
    },
    "file.bad_shared_string": {
        "en": "{file} is damaged: a cell refers to shared string {ref!r}, and the table has {size:,}.",
        "zh_CN": "{file} 已损坏：有单元格引用了共享字符串“{ref}”，而共享字符串表只有 {size:,} 个。",
    },
    "file.row_past_last": {
        "en": "{where}: a row is numbered {number:,}, past Excel's last row ({last:,}).",
        "zh_CN": "{where}：有一行的行号是 {number:,}，超过了 Excel 的最后一行（{last:,}）。",
    },
    "file.row_number": {
        "en": "{where}, is damaged: a row is numbered {number}.",
        "zh_CN": "{where} 已损坏：有一行的行号是 {number}。",
    },
    "file.rows_out_of_order": {
        "en": "{where}, is damaged: its rows are out of order (row {number:,} comes after row {previous:,}).",
        "zh_CN": "{where} 已损坏：行的顺序错乱（第 {number:,} 行排在第 {previous:,} 行之后）。",
    },
    # Opening a database (db/connection.py, paths.py, db/team.py, db/copy.py).
    "db.cant_make_folder": {
        "en": "Can't create the folder for {database}: {reason}.",
        "zh_CN": "无法为 {database} 创建文件夹：{reason}。",
    },
    "db.cant_open": {"en": "Can't open {database}: {detail}.", "zh_CN": "无法打开 {database}：{detail}。"},
    "db.cant_read": {"en": "Can't read {database}: {detail}.", "zh_CN": "无法读取 {database}：{detail}。"},
    "db.cant_use": {"en": "Can't use {database}: {detail}.", "zh_CN": "无法使用 {database}：{detail}。"},
    "db.no_name": {
        "en": "{database} names no database; add it: postgresql://host/name.",
        "zh_CN": "{database} 没有写出数据库名；请加上：postgresql://主机/数据库名。",
    },
    "db.no_psycopg": {
        "en": "PostgreSQL needs the psycopg2-binary package, which is not installed.",
        "zh_CN": "使用 PostgreSQL 需要 psycopg2-binary 组件，但它没有安装。",
    },
    "db.cant_connect": {"en": "Can't connect to {database}: {detail}", "zh_CN": "无法连接到 {database}：{detail}"},
    "db.network_share": {
        "en": "{database} is on a network share; SQLite corrupts there. Keep the file on this computer, "
        "or point every copy of the app at one PostgreSQL server (postgresql://...).",
        "zh_CN": "{database} 位于网络共享上，SQLite 在那里会损坏。请把文件放在本机，"
        "或让每台电脑上的程序都连接同一台 PostgreSQL 服务器（postgresql://...）。",
    },
    "team.no_server": {
        "en": "Give the server's host name and the database's name.",
        "zh_CN": "请填写服务器的主机名和数据库名。",
    },
    "team.no_driver": {
        "en": "A team database needs the PostgreSQL driver: pip install 'wallet-crm[team]'.",
        "zh_CN": "团队数据库需要 PostgreSQL 驱动：pip install 'wallet-crm[team]'。",
    },
    "team.copy_not_postgres": {
        "en": "The copy goes to a PostgreSQL database: give a postgresql:// URL.",
        "zh_CN": "只能复制到 PostgreSQL 数据库：请给出 postgresql:// 地址。",
    },
    "team.copy_target_filled": {
        "en": "The target database already holds data ({tables}): copy into an empty database.",
        "zh_CN": "目标数据库中已有数据（{tables}）：请复制到空数据库。",
    },
    # Backups and restores (db/backup.py).
    "backup.database_not_sqlite": {
        "en": "{path} is not a wallet-crm database (it is not a SQLite file): nothing was backed up.",
        "zh_CN": "{path} 不是 wallet-crm 数据库（它不是 SQLite 文件）：什么都没有备份。",
    },
    "backup.database_damaged": {
        "en": "{path} is damaged (integrity check: {detail}): nothing was backed up.",
        "zh_CN": "{path} 已损坏（完整性检查：{detail}）：什么都没有备份。",
    },
    "backup.source_not_sqlite": {
        "en": "{source} is not a wallet-crm backup (it is not a SQLite file): nothing was changed.",
        "zh_CN": "{source} 不是 wallet-crm 备份（它不是 SQLite 文件）：什么都没有改动。",
    },
    "backup.source_damaged": {
        "en": "{source} is damaged (integrity check: {detail}): nothing was changed.",
        "zh_CN": "{source} 已损坏（完整性检查：{detail}）：什么都没有改动。",
    },
    "backup.not_a_backup": {
        "en": "{source} is damaged or not a wallet-crm backup ({detail}): nothing was changed.",
        "zh_CN": "{source} 已损坏，或不是 wallet-crm 备份（{detail}）：什么都没有改动。",
    },
    "backup.no_tables": {
        "en": "{source} is not a wallet-crm backup (it holds no wallet-crm tables): nothing was changed.",
        "zh_CN": "{source} 不是 wallet-crm 备份（其中没有 wallet-crm 的表）：什么都没有改动。",
    },
    "backup.newer_schema": {
        "en": "{source} has schema version {found}, but this wallet-crm knows up to version {known}: "
        "update the app to restore it; nothing was changed.",
        "zh_CN": "{source} 由更新版本的 wallet-crm 写入（结构版本 {found}；本程序最高支持 {known}）："
        "请先升级 wallet-crm 再恢复；什么都没有改动。",
    },
    "backup.database_in_use": {
        "en": "The database {path} is open in another program (another wallet-crm window, perhaps): "
        "nothing was changed; close it there, then restore again.",
        "zh_CN": "数据库 {path} 正被另一个程序打开（可能是另一个 wallet-crm 窗口）：什么都没有改动；"
        "请在那里关闭它，然后重新恢复。",
    },
    "backup.kept_changing": {
        "en": "The database {path} kept changing while it was copied: nothing was changed; "
        "close the other programs using it, then restore again.",
        "zh_CN": "数据库 {path} 在复制期间一直在变化：什么都没有改动；请关闭正在使用它的其他程序，然后重新恢复。",
    },
    "backup.cant_copy": {"en": "Can't copy {source}: {detail}.", "zh_CN": "无法复制 {source}：{detail}。"},
    # Exports and demo data (exports/workbook.py, demo.py).
    "cancelled.export": {
        "en": "Export cancelled; no file was written.",
        "zh_CN": "已取消导出；没有写入任何文件。",
    },
    "demo.real_data": {
        "en": "{path} holds real data; demo data is only written to its own file.",
        "zh_CN": "{path} 中有真实数据；演示数据只写入它自己的文件。",
    },
    # The command line's words (cli*.py): options keep their English names, codes are listed as typed.
    "cli.usage": {"en": "{problem} (see {prog} --help)", "zh_CN": "{problem}（见 {prog} --help）"},
    "cli.demo_sizes": {
        "en": "--customers must be at least 1 and --transactions at least 0",
        "zh_CN": "--customers 至少为 1，--transactions 至少为 0",
    },
    "cli.unknown_task_status": {
        "en": "unknown status {value!r}; use all or one of {choices}",
        "zh_CN": "未知的任务状态“{value}”；请用 all 或以下之一：{choices}",
    },
    "cli.unknown_queue_status": {
        "en": "unknown task status {value!r}; use all or one of {choices}",
        "zh_CN": "未知的任务状态“{value}”；请用 all 或以下之一：{choices}",
    },
    "cli.unknown_status": {
        "en": "unknown status {value!r}; use one of {choices}",
        "zh_CN": "未知的交易状态“{value}”；请用以下之一：{choices}",
    },
    "cli.unknown_reason": {
        "en": "unknown reason {value!r}; use one of {choices}",
        "zh_CN": "未知的回访原因“{value}”；请用以下之一：{choices}",
    },
    "cli.negative_limit": {"en": "--limit must be 0 (all) or more", "zh_CN": "--limit 必须是 0（全部）或更大的数"},
    "cli.to_before_from": {"en": "--to {end} is before --from {start}", "zh_CN": "--to {end} 早于 --from {start}"},
    "cli.no_agent": {
        "en": "There is no agent named {name} (see wallet-crm agents list).",
        "zh_CN": "没有名为 {name} 的坐席（见 wallet-crm agents list）。",
    },
    "cli.not_xlsx": {
        "en": "{output}: the file name must end in .xlsx",
        "zh_CN": "{output}：文件名必须以 .xlsx 结尾",
    },
    "cli.output_folder": {
        "en": "{output} is a folder; give a file name ending in .xlsx",
        "zh_CN": "{output} 是文件夹；请给出以 .xlsx 结尾的文件名",
    },
    "cli.folder_needs_auto": {
        "en": "--folder goes with --auto (see wallet-crm backup --help)",
        "zh_CN": "--folder 只能与 --auto 一起使用（见 wallet-crm backup --help）",
    },
    "cli.sign_in": {
        "en": "This database has users: sign in with --user NAME (the password from ${variable} or a prompt).",
        "zh_CN": "该数据库有用户：请用 --user 名字 登录（密码取自 ${variable}，或按提示输入）。",
    },
    "cli.say_agent": {"en": "Say who is calling: --agent NAME.", "zh_CN": "请说明由谁拨打：--agent 名字。"},
    "cli.agent_as_self": {
        "en": "{user} is signed in as an agent and works as themselves, not as {agent}.",
        "zh_CN": "{user} 以坐席身份登录，只能以自己的名义工作，不能代替 {agent}。",
    },
    "cli.no_password": {
        "en": "No password: set ${variable} or run the command in a terminal.",
        "zh_CN": "没有密码：请设置 ${variable}，或在终端中运行该命令。",
    },
    "cli.passwords_differ": {
        "en": "The two passwords differ; nothing was changed.",
        "zh_CN": "两次输入的密码不一致；什么都没有改动。",
    },
    "cli.no_users_yet": {
        "en": "This database has no users yet: add the first admin with `users add NAME --role admin`.",
        "zh_CN": "该数据库还没有用户：请先用 `users add 名字 --role admin` 添加第一位管理员。",
    },
}

_FORMATTER: Final = string.Formatter()


def text(code: str, language: str = "en", **params: object) -> str:
    """The words for `code` in `language` (English for a language the app does not speak).

    An unknown code is a bug (KeyError); so is a parameter the template needs and was not given."""
    entry = CATALOGUE[code]
    template = entry.get(language) or entry["en"]
    if not isinstance(template, str):
        template = template["one" if params.get("count") == 1 else "other"]
    values = {name: _in(value, language) for name, value in params.items()}
    return template.format(**values)


def _in(value: object, language: str) -> object:
    """A `Localized` parameter in `language`; any other as it is."""
    if isinstance(value, Mapping) and "en" in value:
        return value.get(language) or value["en"]
    return value


def parameters(template: Template) -> set[str]:
    """The names a template's text uses (all its plural forms'), for the catalogue's own test."""
    forms = [template] if isinstance(template, str) else list(template.values())
    return {name for form in forms for _, name, _, _ in _FORMATTER.parse(form) if name}


def listed(items: Iterable[str]) -> Localized:
    """A list as a parameter, as each language writes one: `a、b` in Chinese, `a, b` in English."""
    words = [str(item) for item in items]
    return {"zh_CN": "、".join(words), "en": ", ".join(words)}
