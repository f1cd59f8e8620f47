"""A generator of realistic synthetic documents for the scale benchmark (bench/scale.py).

Central decrees with articles and khoản (some amending khoản of earlier ones, article by article), circulars guiding
decrees, and provincial plans and directives in three
layouts (pipe-row tables, TAB tables with a merged "Đơn vị thực hiện" header, a directive's lettered items). Plans
cite decrees (half of the time a khoản of one) with a skewed popularity (a few decrees are cited by very many plans, as 61/2018/NĐ-CP is), cite other
plans of their province, and assign tasks to agencies of their province. Deterministic for a given seed.

    python bench/synthetic.py OUT_DIR N [--seed 7]
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

PROVINCES = [
    "Quảng Ngãi", "Đồng Nai", "Quảng Nam", "Bình Định", "Kon Tum", "Điện Biên", "Hà Giang", "Lai Châu", "Thái Nguyên",
    "Nghệ An", "Thanh Hóa", "Khánh Hòa", "Lâm Đồng", "Gia Lai", "Đắk Lắk", "Bình Dương", "Long An", "Tiền Giang",
    "Bến Tre", "Cà Mau", "An Giang", "Kiên Giang", "Sóc Trăng", "Bạc Liêu", "Hậu Giang", "Vĩnh Long", "Trà Vinh",
    "Đồng Tháp", "Tây Ninh", "Bình Phước", "Bình Thuận", "Ninh Thuận", "Phú Yên", "Quảng Trị", "Quảng Bình",
    "Hà Tĩnh", "Ninh Bình", "Nam Định", "Thái Bình", "Hà Nam", "Hưng Yên", "Hải Dương", "Bắc Ninh", "Bắc Giang",
    "Lạng Sơn", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Yên Bái", "Lào Cai", "Phú Thọ", "Vĩnh Phúc", "Hòa Bình",
    "Sơn La", "Quảng Ninh",
]
AGENCIES = [
    "Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư",
    "Văn phòng UBND tỉnh", "Công an tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng",
]
ARTICLE_TITLES = ["Phạm vi điều chỉnh", "Đối tượng áp dụng", "Tiếp nhận hồ sơ", "Trả kết quả", "Hiệu lực thi hành"]
KHOAN = 3  # khoản in each article of a synthetic decree
COLLECTIVES = ["Các sở, ban ngành", "UBND cấp huyện", "UBND cấp xã", "Các cơ quan, đơn vị có liên quan"]
DEADLINES = ["Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Quý IV/{y}", "Thường xuyên", "Hàng năm", "Tháng 6/{y}",
             "Trước ngày 15/12/{y}", "Năm {y}"]
ACTIONS = ["Rà soát, cắt giảm thủ tục hành chính", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
           "Cung cấp dịch vụ công trực tuyến toàn trình", "Kiện toàn Bộ phận Một cửa các cấp",
           "Tuyên truyền về cải cách hành chính", "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính"]


@dataclass(frozen=True)
class Decree:
    key: str
    date: str
    year: int


def _date(rng: random.Random, year: int) -> tuple[int, int]:
    return rng.randint(1, 28), rng.randint(1, 12)


def central(n: int, rng: random.Random) -> tuple[list[tuple[str, str]], list[Decree]]:
    """n decrees and circulars as (name, text); later decrees amend earlier ones, circulars guide decrees."""
    files, decrees = [], []
    for i in range(n):
        year = 2010 + i * 15 // max(n, 1)
        day, month = _date(rng, year)
        if i % 4 == 3 and decrees:
            target = rng.choice(decrees)
            key = f"{i + 1}/{year}/TT-BNV"
            head = "BỘ NỘI VỤ"
            kind, body = "THÔNG TƯ", f"Hướng dẫn thi hành Nghị định số {target.key} ngày {target.date} của Chính phủ"
        else:
            key = f"{i + 1}/{year}/NĐ-CP"
            head = "CHÍNH PHỦ"
            kind = "NGHỊ ĐỊNH"
            amended = rng.choice(decrees) if decrees and rng.random() < 0.3 else None
            body = (f"Sửa đổi, bổ sung một số điều của Nghị định số {amended.key} ngày {amended.date}"
                    if amended else "Quy định về thực hiện thủ tục hành chính")
            decrees.append(Decree(key, f"{day}/{month}/{year}", year))
        articles = _instructions(rng) if kind == "NGHỊ ĐỊNH" and body.startswith("Sửa đổi") else _articles()
        text = (f"{head}\nSố: {key}\nHà Nội, ngày {day} tháng {month} năm {year}\n{kind}\n{body}\n"
                f"Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n{articles}")
        files.append((f"central-{i:06d}.txt", text))
    return files, decrees


def _articles() -> str:
    """A decree's own articles, each with its khoản (the provisions plans cite and amendments change)."""
    return "".join(f"Điều {d}. {title}\n" + "".join(f"{k}. Nội dung khoản {k} Điều {d}.\n" for k in range(1, KHOAN + 1))
                   for d, title in enumerate(ARTICLE_TITLES, 1))


def _instructions(rng: random.Random) -> str:
    """An amending decree's Điều 1: items that amend, add or repeal khoản of the decree its title names."""
    items = []
    for n in range(1, rng.randint(2, 4) + 1):
        d, k = rng.randint(1, len(ARTICLE_TITLES)), rng.randint(1, KHOAN)
        items.append(rng.choice([f"{n}. Sửa đổi, bổ sung khoản {k} Điều {d} như sau:\n“{k}. Nội dung mới.”.\n",
                                 f"{n}. Bổ sung khoản {KHOAN + 1} Điều {d} như sau:\n“{KHOAN + 1}. Nội dung mới.”.\n",
                                 f"{n}. Bãi bỏ khoản {k} Điều {d}.\n"]))
    return "Điều 1. Sửa đổi, bổ sung một số điều\n" + "".join(items) + "Điều 2. Hiệu lực thi hành\n"


def _cited(rng: random.Random, key: str) -> str:
    """How a task cell names a decree: half of them with the khoản and Điều it rests on."""
    if rng.random() < 0.5:
        return f"Nghị định số {key}"
    return f"khoản {rng.randint(1, KHOAN)} Điều {rng.randint(1, len(ARTICLE_TITLES))} Nghị định số {key}"


def plan(i: int, rng: random.Random, decrees: list[Decree], weights: list[float]) -> tuple[str, str]:
    province = PROVINCES[i % len(PROVINCES)]
    year = rng.randint(2019, 2024)
    day, month = _date(rng, year)
    serial = i // len(PROVINCES) + 1
    cited = {d.key: d for d in rng.choices(decrees, weights=weights, k=rng.randint(2, 6))}
    basis = ";\n".join(f"Căn cứ Nghị định số {d.key} ngày {d.date} của Chính phủ" for d in cited.values())
    earlier = f"Kế hoạch số {max(1, serial - 1)}/KH-UBND ngày 10/01/{year} của UBND tỉnh"
    layout = i % 3
    kind = "CHỈ THỊ" if layout == 2 else "KẾ HOẠCH"
    code = "CT-UBND" if layout == 2 else "KH-UBND"
    head = (f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}\nSố: {serial}/{code}\n{province}, ngày {day} tháng {month} "
            f"năm {year}\n{kind}\nVề cải cách thủ tục hành chính năm {year}\n{basis};\nThực hiện {earlier};\n")
    keys = list(cited)
    rows = [(rng.choice(ACTIONS), _cited(rng, rng.choice(keys)), rng.choice(AGENCIES), rng.choice(COLLECTIVES),
             rng.choice(DEADLINES).format(y=year)) for _ in range(rng.randint(3, 8))]
    if layout == 0:
        table = "Stt | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành | Sản phẩm |\n" + "".join(
            f"{n} | {a} theo {k}. | {lead} | {coord} | {due} | Báo cáo |\n"
            for n, (a, k, lead, coord, due) in enumerate(rows, 1))
        body = f"PHỤ LỤC\n(Kèm theo Kế hoạch số {serial}/{code})\n{table}"
    elif layout == 1:
        header = "STT\tNội dung công việc\tKết quả công việc\tĐơn vị thực hiện\t\tThời gian thực hiện\n\t\t\tChủ trì\tPhối hợp\t\n"
        body = f"PHỤ LỤC\n(Kèm theo Kế hoạch số {serial}/{code})\n{header}" + "".join(
            f"{n}\t{a} theo {k}\tBáo cáo\t{lead}\t{coord}\t{due}\n" for n, (a, k, lead, coord, due) in enumerate(rows, 1))
    else:
        body = "".join(f"{n}. Giao {lead} khẩn trương\na) {a} theo {k}.\nb) Báo cáo kết quả thực hiện.\n"
                       for n, (a, k, lead, _, _) in enumerate(rows[:3], 1))
    return f"plan-{i:07d}.txt", head + body + "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n"


def generate(out: Path, n: int, seed: int = 7) -> int:
    """Write n documents (5 % central, the rest provincial) under out; returns the bytes written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, decrees = central(max(20, n // 20), rng)
    weights = [1.0 / (k + 1) for k in range(len(decrees))]  # Zipf: the first decrees are the hubs
    rng.shuffle(weights)
    size = 0
    for name, text in files:
        size += _write(out / name, text)
    for i in range(n - len(files)):
        name, text = plan(i, rng, decrees, weights)
        size += _write(out / name, text)
    return size


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    written = generate(Path(args[0]), int(args[1]), seed)
    print(f"{args[1]} documents, {written / 1e6:.1f} MB under {args[0]}")
