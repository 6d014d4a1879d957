"""What `build.py new 问卷 "标题"` writes below `pages:`: one question of every type the survey
schema supports (schema.QUESTION_TYPES), each with a comment saying what it is for. Commented
attribute lines hold real values, so deleting their `# ` gives a survey that still validates.

tests/portal/test_new_survey.py keeps this list complete and valid.
"""
from __future__ import annotations

# Optional top-level fields, shown commented with a value that works when uncommented.
EXAMPLES = {
    "access": "invite",
    "results": "public",
    "intro": "请您花 2 分钟评价社区服务中心的服务。问卷匿名填写，不需要留姓名和电话。",
    "keep_numbers": "true",
    "satisfied": "[非常满意, 满意, 基本满意]",
}

PAGES = """\
pages:  # 问卷页；必填；每页一组题目，居民一页一页地填
  - title: 服务评价  # 页标题；选填
    questions:  # 题目；必填。下面每种题型各有一例：照着改，不需要的整题删除
      # 五级满意度题（scale5）：选项固定为 非常满意、满意、基本满意、不满意、非常不满意，用来算满意率
      - id: overall
        type: scale5
        label: 您对社区服务中心的总体评价
        required: true
        # help: 请根据最近一次办事的感受选择
      # 多选题（multiple）：show_if 让本题只在前面的题选了某些答案时出现
      - id: reasons
        type: multiple
        label: 请选择不满意的原因（可多选）
        required: true
        show_if: {question: overall, in: [不满意, 非常不满意]}
        choices:
          - {value: wait, label: 等候时间太长}
          - {value: attitude, label: 工作人员态度不好}
          - {value: materials, label: 材料要求没有一次说清楚}
        # other: true
        # min: 1
        # max: 2
      # 单选题（single）：choices 列出选项，value 是选项编号（小写字母、数字），label 是居民看到的文字
      - id: channel
        type: single
        label: 您这次是怎么办理的？
        choices:
          - {value: chuangkou, label: 到窗口办理}
          - {value: wangshang, label: 网上办理}
          - {value: daiban, label: 社区上门代办}
        # other: true
      # 量表题：单选题或矩阵题写 scale 而不列 choices，选项是规定的量表：满意三级、好较好一般差、称职三级、
      # 优秀称职四级、优秀合格四级、是否、好差评五级；abstain: true 增加“弃权”，弃权不计入比率的分母
      - id: zhuren
        type: single
        scale: 称职三级
        label: 您对社区服务中心主任一年来的履职情况如何评价？
        # abstain: true
        # satisfied: [称职, 基本称职]
      # 评分题（rating）：1 到 5 分
      - id: score
        type: rating
        label: 请为窗口工作人员的服务打分（1–5 分）
      # 推荐意愿题（nps）：0 到 10 分
      - id: recommend
        type: nps
        label: 您有多大可能向邻居推荐社区服务中心？（0–10 分）
      # 矩阵题（matrix）：rows 是要评价的各项，每一行从同一组选项中选；不写 choices 时用五级满意度
      - id: aspects
        type: matrix
        label: 请对以下方面分别评价
        rows:
          - {id: huanjing, label: 办事环境}
          - {id: xiaolv, label: 办事效率}
          - {id: taidu, label: 服务态度}
        # choices:
        #   - {value: hao, label: 好}
        #   - {value: yiban, label: 一般}
        #   - {value: cha, label: 差}
      # 排序题（ranking）：居民给每个选项排出先后
      - id: priorities
        type: ranking
        label: 请按您心中的重要程度，给明年的工作排个先后
        choices:
          - {value: zhucan, label: 老年助餐}
          - {value: tingche, label: 停车管理}
          - {value: lvhua, label: 小区绿化}
      # 填空题（text）：一行文字；maxlength 是最多字数（不写时 200 字）
      - id: service
        type: text
        label: 您办理的是什么事项？
        # maxlength: 50
      # 问答题（textarea）：多行文字（不写 maxlength 时最多 2000 字）；public: true 表示原文可随结果公开
      - id: advice
        type: textarea
        label: 您对社区服务中心还有什么意见和建议？
        help: 请不要填写姓名、身份证号、电话等个人信息
        # maxlength: 500
        # public: true
  - title: 基本情况
    questions:
      # 数字题（number）：min、max 是允许填写的范围
      - id: household
        type: number
        label: 您家共有几口人？
        min: 1
        max: 20
      # 日期题（date）：居民按 YYYY-MM-DD 填写日期
      - id: visited
        type: date
        label: 您最近一次到服务中心办事是哪一天？
"""
