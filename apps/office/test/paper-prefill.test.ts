import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { agencyCase, suggestFromText, type PaperSuggestion } from '../src/incoming/paper-prefill.js';

/** The suggestion without its bookkeeping, for comparing what was read. */
function fields(s: PaperSuggestion): Omit<PaperSuggestion, 'found' | 'inferred'> {
  const { found: _found, inferred: _inferred, ...rest } = s;
  return rest;
}

describe('suggestFromText: what a clerk would type, read from the first page of a paper document', () => {
  it('reads a decision from a clean PDF text layer (pdftotext -layout), leaving the national motto out of the sender', () => {
    const text = `    ỦY BAN NHÂN DÂN         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
     TỈNH BÌNH AN              Độc lập - Tự do - Hạnh phúc

    Số: 125/QĐ-UBND         Bình An, ngày 05 tháng 3 năm 2026


                       QUYẾT ĐỊNH
         Về việc phê duyệt Kế hoạch chuyển đổi số
                của tỉnh Bình An năm 2026


CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH AN

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;
`;
    const s = suggestFromText(text);
    assert.deepEqual(fields(s), {
      number: '125',
      notation: 'QĐ-UBND',
      issueDate: '2026-03-05',
      senderName: 'Ủy ban nhân dân tỉnh Bình An',
      documentType: 'Quyết định',
      subject: 'Về việc phê duyệt Kế hoạch chuyển đổi số của tỉnh Bình An năm 2026',
    });
    assert.deepEqual(s.found, ['number', 'notation', 'issueDate', 'senderName', 'documentType', 'subject']);
    assert.deepEqual(s.inferred, []);
  });

  it('cuts the motto even when the layout glues both columns together ("DÂNCỘNG HÒA")', () => {
    const text = `  ỦY BAN NHÂN DÂNCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    HUYỆN TÂN HÒA   Độc lập - Tự do - Hạnh phúc

   Số: 88/KH-UBND      Tân Hòa, ngày 20 tháng 02 năm 2026

                   KẾ HOẠCH
   Triển khai công tác cải cách hành chính năm 2026

   Thực hiện Kế hoạch số 15/KH-UBND ngày 10 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh;
`;
    assert.deepEqual(fields(suggestFromText(text)), {
      number: '88',
      notation: 'KH-UBND',
      issueDate: '2026-02-20',
      senderName: 'Ủy ban nhân dân huyện Tân Hòa',
      documentType: 'Kế hoạch',
      subject: 'Triển khai công tác cải cách hành chính năm 2026',
    });
  });

  it('reads a công văn: the governing body above the sender, and the "V/v" subject under the number over two lines', () => {
    const text = `    UBND TỈNH BÌNH AN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
      SỞ TÀI CHÍNH                           Độc lập - Tự do - Hạnh phúc

        Số: 347/STC-NS                     Bình An, ngày 12 tháng 01 năm 2026
V/v đề nghị cung cấp số liệu quyết toán
      ngân sách năm 2025


Kính gửi: Ủy ban nhân dân các huyện, thành phố.
`;
    assert.deepEqual(fields(suggestFromText(text)), {
      number: '347',
      notation: 'STC-NS',
      issueDate: '2026-01-12',
      senderName: 'Sở Tài chính',
      senderParent: 'UBND tỉnh Bình An',
      documentType: 'Công văn',
      subject: 'Về việc đề nghị cung cấp số liệu quyết toán ngân sách năm 2025',
    });
  });

  it('reads a Government decree with a number/year/type notation', () => {
    const text = `          CHÍNH PHỦ                    CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                              Độc lập - Tự do - Hạnh phúc
     Số: 12/2026/NĐ-CP
                                             Hà Nội, ngày 15 tháng 01 năm 2026

                               NGHỊ ĐỊNH
          Quy định chi tiết một số điều của Luật Lưu trữ
                     về tài liệu lưu trữ điện tử

     Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
`;
    assert.deepEqual(fields(suggestFromText(text)), {
      number: '12',
      notation: '2026/NĐ-CP',
      issueDate: '2026-01-15',
      senderName: 'Chính phủ',
      documentType: 'Nghị định',
      subject: 'Quy định chi tiết một số điều của Luật Lưu trữ về tài liệu lưu trữ điện tử',
    });
  });

  it('tolerates OCR noise: lost diacritics, "S6:" for "Số:", spaces inside the notation, O for 0, Ð for Đ, blank lines', () => {
    const text = `UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM

TINH BINH AN Doc lap - Tu do - Hanh phuc
S6: 125 / QD - UBND Binh An, ngay O5 thang 3 nam 2026

QUYET ÐINH

Ve viec phe duyet Ke hoach chuyen doi so
cua  tinh Binh An   nam 2026

Can cu Luat To chuc chinh quyen dia phuong ngay 16 thang 6 nam 2025;
`;
    assert.deepEqual(fields(suggestFromText(text)), {
      number: '125',
      notation: 'QĐ-UBND',
      issueDate: '2026-03-05',
      senderName: 'Uy ban nhan dan tinh Binh An',
      documentType: 'Quyết định',
      subject: 'Ve viec phe duyet Ke hoach chuyen doi so cua tinh Binh An nam 2026',
    });
  });

  it('tolerates wrong diacritics and a place-and-date run into the subject line by OCR, three agency levels deep', () => {
    const text = `UỶ BAN NHÂN DÂN CỘNG HOÀ XÃ HỘl CHỦ NGHĨA VIỆT NAM
HUYỆN TÂN HÒA Độc lập - Tự do - Hạnh phúc
PHÒNG TÀI CHÍNH - KẾ HOẠCH
—————

Sô : 47/TCKH-NS
V/v hướng dẫn lập dự toán Tân Hòa, ngày 2O tháng 10 năm 2025
ngân sách năm 2026

Kính gửi: Ủy ban nhân dân các xã, thị trấn.
`;
    assert.deepEqual(fields(suggestFromText(text)), {
      number: '47',
      notation: 'TCKH-NS',
      issueDate: '2025-10-20',
      senderName: 'Phòng Tài chính - Kế hoạch',
      senderParent: 'Uỷ ban nhân dân huyện Tân Hòa',
      documentType: 'Công văn',
      subject: 'Về việc hướng dẫn lập dự toán ngân sách năm 2026',
    });
  });

  it('takes the document’s number, not the received stamp’s ("ĐẾN Số: 215"), and only the first page', () => {
    const text = `ĐẾN Số: 215  Ngày: 07/3/2026
   UBND TỈNH BÌNH AN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   SỞ Y TẾ                    Độc lập - Tự do - Hạnh phúc
   Số: 9/TB-SYT               Bình An, ngày 06 tháng 3 năm 2026

                THÔNG BÁO
   Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 02
\fSố: 99/QĐ-UBND   Bình An, ngày 01 tháng 01 năm 2020
`;
    const s = suggestFromText(text);
    assert.equal(s.number, '9');
    assert.equal(s.notation, 'TB-SYT');
    assert.equal(s.issueDate, '2026-03-06');
    assert.equal(s.senderName, 'Sở Y tế');
    assert.equal(s.documentType, 'Thông báo');
    assert.equal(s.subject, 'Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 02');
  });

  it('leaves out what an unnumbered, undated copy does not say, instead of taking a date from the legal basis', () => {
    const text = `    ỦY BAN NHÂN DÂN         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
     TỈNH BÌNH AN              Độc lập - Tự do - Hạnh phúc

    Số:     /QĐ-UBND         Bình An, ngày     tháng     năm 2026

                       QUYẾT ĐỊNH
                Ban hành Quy chế làm việc
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;
`;
    const s = suggestFromText(text);
    assert.equal(s.number, undefined);
    assert.equal(s.notation, 'QĐ-UBND');
    assert.equal(s.issueDate, undefined);
    assert.equal(s.subject, 'Ban hành Quy chế làm việc');
    assert.deepEqual(s.found, ['notation', 'senderName', 'documentType', 'subject']);
  });

  it('infers the type from the notation’s abbreviation when the type line cannot be read, and says it was inferred', () => {
    const text = `SỞ NỘI VỤ
Số: 30/BC-SNV    Bình An, ngày 31 tháng 12 năm 2025
B~O C#O
Tổng kết công tác năm 2025
`;
    const s = suggestFromText(text);
    assert.equal(s.documentType, 'Báo cáo');
    assert.deepEqual(s.inferred, ['documentType']);
    assert.ok(!s.found.includes('documentType'));
    assert.equal(s.senderName, 'Sở Nội vụ');
  });

  it('finds nothing, without failing, in text that is no administrative document', () => {
    const s = suggestFromText('Lorem ipsum dolor sit amet\n\n12/34 xyz\n');
    assert.deepEqual(s, { found: [], inferred: [] });
    assert.deepEqual(suggestFromText(''), { found: [], inferred: [] });
  });
});

describe('agencyCase: an agency name in the usual case, from the capitals of the page', () => {
  it('capitalises the first word, the field of a Sở or Phòng, and the place name; keeps abbreviations', () => {
    const cases: [string, string][] = [
      ['SỞ TÀI CHÍNH', 'Sở Tài chính'],
      ['ỦY BAN NHÂN DÂN TỈNH BÌNH AN', 'Ủy ban nhân dân tỉnh Bình An'],
      ['SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI', 'Sở Lao động - Thương binh và Xã hội'],
      ['SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH', 'Sở Văn hóa, Thể thao và Du lịch'],
      ['VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH', 'Văn phòng Ủy ban nhân dân tỉnh'],
      ['BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP', 'Ban Quản lý các khu công nghiệp'],
      ['UBND THÀNH PHỐ BÌNH AN', 'UBND thành phố Bình An'],
      ['HĐND XÃ TÂN PHÚ', 'HĐND xã Tân Phú'],
      ['TRUNG TÂM Y TẾ HUYỆN TÂN HÒA', 'Trung tâm Y tế huyện Tân Hòa'],
      ['UỶ BAN NHÂN DÂN THỊ XÃ PHƯỚC LONG', 'Uỷ ban nhân dân thị xã Phước Long'],
      ['ỦY BAN NHÂN DÂN TÍNH BÌNH AN', 'Ủy ban nhân dân tính Bình An'],
    ];
    assert.deepEqual(
      cases.map(([caps]) => agencyCase(caps)),
      cases.map(([, usual]) => usual),
    );
  });
});
