"""Latin, number and URL runs and the completed break classes in narrow columns (issue 23, items 1
and 3), built as pages of 10–14 characters a line with default settings and judged from the
outside by ../shared/tools/pagecheck.py: no hard fault; no space opened inside a word, a number or
an e-mail address, nor before a Chinese stop after Latin; no forbidden line start (CSS
`line-break: normal`), no number split from its affix or exponent; no hole."""
from __future__ import annotations

import pytest

from test_narrow_columns import PAGECHECK, clean_narrow_page
from tinypage import need_noto

LATIN = [  # the cases: a salary range, a long name, a URL, an e-mail address, a phone number
    "据香港多家招聘机构统计，今年金融科技岗位的招聘需求明显回升，资深工程师的年薪多在HKD 650,000 – "
    "1,200,000之间，部分职位甚至更高。",
    "在求职者常用的网站中，专门面向金融行业的招聘网站eFinancialCareers，排名一直靠前，不少求职者每天都会"
    "登录查看新发布的职位信息。",
    "项目的全部源代码和使用文档都已经公开发布，有兴趣的读者可以访问https://github.com/pagesetter/issues了解"
    "详情，也可以登录人民网www.people.com.cn查看相关报道。",
    "读者如有意见和建议，欢迎来信发至编辑部的电子邮箱reader@people.cn，也可以拨打读者服务热线400-800-0088，"
    "我们将及时答复。",
]
CLASSES = [  # postfixes, exponents, prefixes, iteration marks and small kana, centred marks, ™ ® ©
    "当天最高气温达到37℃，体感温度超过40℃；风向偏转了30°，误差不超过45′，当地的人口出生率为8‰，比上年增长了5%。",
    "地球海洋中的水约有1.4×10²¹千克，而人体的一个细胞中大约含有10¹²个分子，这些数字都大得令人惊叹不已。",
    "这款产品在国内的售价为¥199，在美国的售价为$28，在韩国则售价₩36000，折算下来相差并不大。",
    "日本的佐々木先生和山田さん在会上先后发言，人々都说好。时时刻刻、ゝゞヽヾ这样的符号在中文里很少用到。",
    "他们在会上反复追问：真的吗⁉这是真的‼为什么会这样⁇难道不是吗⁈对方只是说了一声啊‥‥，就再也没有说话了。",
    "他平时用Excel™整理各种数据资料，用Word®撰写文稿，这些软件的版权标记为©微软公司所有。",
]

NONE = ("space_before_stop", "postfix_split", "css_line_start", "holes")


def _latin_only(example: str) -> bool:
    """Is the line of a pagecheck example made of one Latin run alone (no Han character)?"""
    shown = example.split(": ", 1)[1].split(" — ")[0]
    return not any("\u3400" <= ch <= "\u9fff" for ch in shown)


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
def test_latin_runs_and_break_classes_pass_pagecheck(tmp_path, chars):
    need_noto()
    pdf, examples = clean_narrow_page(tmp_path / "p", chars, LATIN + CLASSES, NONE)
    # letter-spacing only on a line holding nothing but the middle of the long URL, which has no
    # other gap (the last resort: else it would stop short of the column edge, a hard fault)
    spaced = examples.get("latin_letterspaced", [])
    assert len(spaced) <= 1 and all(_latin_only(e) and "pagesetter" in e for e in spaced), spaced
    # a Han–Latin gap past 0.4 em only on a line of one Han character and that URL
    assert all("https://" in e for e in examples.get("han_latin_holes", [])), examples["han_latin_holes"]
