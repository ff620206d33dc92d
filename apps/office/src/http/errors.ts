import { z } from 'zod';

export interface Message {
  readonly vi: string;
  readonly en: string;
}

/** Every failure the API reports: a stable code for programs, a message for people in both languages. */
const catalogue = {
  validation_failed: [400, 'Dữ liệu gửi lên không hợp lệ.', 'The request data is not valid.'],
  invalid_agency_code: [400, 'Mã định danh cơ quan không đúng định dạng.', 'The agency code is not well formed.'],
  invalid_level: [400, 'Cấp hành chính không có trong danh mục.', 'The level is not in the configured list.'],
  invalid_parent: [400, 'Cơ quan cấp trên không hợp lệ.', 'The parent agency is not valid.'],
  weak_password: [
    400,
    'Mật khẩu phải có ít nhất 10 ký tự, gồm cả chữ và số.',
    'The password needs at least 10 characters, with letters and digits.',
  ],
  invalid_totp: [400, 'Mã xác thực hai lớp không đúng.', 'The two-factor code is wrong.'],
  invalid_file: [400, 'Tệp gửi lên không đọc được.', 'The uploaded file cannot be read.'],
  unsupported_scan: [400, 'Bản quét phải là tệp PDF hoặc ảnh PNG, JPEG, TIFF.', 'The scan must be a PDF or a PNG, JPEG or TIFF image.'],
  unauthenticated: [401, 'Bạn cần đăng nhập.', 'You need to log in.'],
  invalid_credentials: [401, 'Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.'],
  totp_required: [401, 'Nhập mã xác thực hai lớp.', 'Enter the two-factor code.'],
  forbidden: [403, 'Bạn không có quyền thực hiện thao tác này.', 'You may not do this.'],
  not_found: [404, 'Không tìm thấy.', 'Not found.'],
  duplicate_agency_code: [409, 'Mã định danh cơ quan đã tồn tại.', 'The agency code already exists.'],
  duplicate_department: [409, 'Phòng ban đã tồn tại trong cơ quan.', 'The department already exists in the agency.'],
  duplicate_register: [409, 'Cơ quan đã có sổ văn bản cùng tên.', 'The agency already has a register of that name.'],
  duplicate_document_type: [
    409,
    'Đã có loại văn bản cùng tên hoặc cùng chữ viết tắt.',
    'A document type with that name or abbreviation exists.',
  ],
  duplicate_username: [409, 'Tên đăng nhập đã được dùng.', 'The username is taken.'],
  wrong_state: [409, 'Văn bản không ở trạng thái cho phép thao tác này.', 'The document is not in a state that allows this.'],
  reason_required: [400, 'Cần ghi rõ lý do.', 'A reason is required.'],
  no_recall_request: [
    409,
    'Bên gửi không có yêu cầu thu hồi hay thay thế nào đang chờ trả lời.',
    'The sender has no pending recall or replacement request.',
  ],
  invalid_assignee: [
    400,
    'Người hoặc đơn vị được giao không thuộc cơ quan này.',
    'The person or department assigned is not part of this agency.',
  ],
  invalid_leader: [400, 'Người nhận trình không phải lãnh đạo của cơ quan.', 'The person to submit to is not a leader of this agency.'],
  invalid_period: [
    400,
    'Kỳ báo cáo không hợp lệ (tháng 1–12, quý 1–4, từ ngày không sau đến ngày, tối đa 5 năm).',
    'The report period is not valid (month 1–12, quarter 1–4, from not after to, at most five years).',
  ],
  invalid_due_date: [400, 'Hạn xử lý phải từ hôm nay trở đi.', 'The due date must be today or later.'],
  invalid_document_type: [400, 'Loại văn bản không có trong danh mục.', 'The document type is not in the list.'],
  invalid_recipient: [
    400,
    'Nơi nhận không hợp lệ (mã định danh sai, trùng, hoặc thiếu tên cơ quan).',
    'A recipient is not valid (a wrong or repeated agency code, or a missing name).',
  ],
  invalid_signer: [400, 'Người ký phải là lãnh đạo của cơ quan.', 'The signer must be a leader of the agency.'],
  invalid_main_file: [400, 'Tệp chính phải là tệp Word (DOCX) hoặc PDF.', 'The main file must be a Word document (DOCX) or a PDF.'],
  conversion_unavailable: [
    503,
    'Chưa chuyển được tệp Word sang PDF lúc này (máy chủ thiếu LibreOffice hoặc đang quá tải). Thử lại sau, hoặc tải lên bản PDF.',
    'The Word document cannot be turned into PDF now (LibreOffice is missing or busy). Try again later, or upload a PDF.',
  ],
  invalid_reply: [400, 'Văn bản trả lời phải là văn bản do cơ quan này gửi đi.', 'The reply must be a document this agency sent.'],
  invalid_forward_target: [400, 'Không chuyển được đến cơ quan này.', 'The document cannot be forwarded to this agency.'],
  invalid_register: [400, 'Sổ văn bản không dùng được cho văn bản này.', 'This register cannot be used for this document.'],
  review_required: [
    409,
    'Dự thảo cần được lãnh đạo phòng xem xét trước khi trình ký.',
    'The draft needs its department leader’s review before it is submitted for signature.',
  ],
  draft_incomplete: [
    409,
    'Dự thảo chưa đủ để trình ký: cần người ký, nơi nhận và tệp PDF (hoặc Word) của văn bản.',
    'The draft is not ready for signature: it needs a signer, recipients and the document’s PDF (or Word) file.',
  ],
  signed_file_changed: [
    409,
    'Tệp trình ký đã thay đổi so với bản bạn xem. Hãy xem lại trước khi ký.',
    'The file to sign has changed since you viewed it. Look at it again before signing.',
  ],
  no_signing_certificate: [409, 'Chưa có chứng thư số còn hiệu lực để ký.', 'There is no valid signing certificate to sign with.'],
  signing_unavailable: [
    503,
    'Máy chủ chưa được cấu hình kho khóa ký nên chưa ký được.',
    'No key store is configured on the server, so nothing can be signed.',
  ],
  pdf_tools_unavailable: [
    503,
    'Máy chủ thiếu công cụ đọc PDF (poppler-utils) nên chưa ghi được số văn bản.',
    'The server lacks the PDF tools (poppler-utils), so the number cannot be written.',
  ],
  notation_mismatch: [
    409,
    'Ký hiệu in sẵn trên văn bản khác với ký hiệu theo loại văn bản và đơn vị soạn thảo.',
    'The notation printed on the document differs from the one its type and drafting unit give.',
  ],
  agency_abbreviation_missing: [
    409,
    'Cơ quan chưa khai báo chữ viết tắt dùng trong ký hiệu văn bản.',
    'The agency has no abbreviation for its notations yet.',
  ],
  classified_through_hub: [
    409,
    'Văn bản mật không được gửi qua trục liên thông: bỏ các nơi nhận ngoài hệ thống hoặc gửi bản giấy.',
    'A classified document may not be sent through the hub: remove the recipients outside this installation or send it on paper.',
  ],
  invalid_in_reply_to: [
    400,
    'Văn bản được trả lời phải là văn bản đến của cơ quan này.',
    'The document answered must be one this agency received.',
  ],
  invalid_amended_document: [
    400,
    'Chỉ sửa đổi hoặc thay thế được văn bản đã phát hành của cơ quan.',
    'Only a document this agency has issued can be amended or replaced.',
  ],
  dossier_wrong_state: [409, 'Hồ sơ không ở trạng thái cho phép thao tác này.', 'The dossier is not in a state that allows this.'],
  duplicate_plan_entry: [409, 'Danh mục hồ sơ của năm đã có mã hồ sơ này.', 'The year’s file plan already has this code.'],
  already_filed: [409, 'Văn bản đã có trong hồ sơ này.', 'The document is already in this dossier.'],
  invalid_dossier_dates: [
    400,
    'Ngày kết thúc phải từ ngày bắt đầu đến hôm nay; ngày bắt đầu không được sau hôm nay.',
    'The end date must be between the start date and today; the start date cannot be after today.',
  ],
  invalid_responsible: [
    400,
    'Người chịu trách nhiệm phải là thành viên của cơ quan.',
    'The responsible person must be a member of the agency.',
  ],
  appraisal_not_due: [
    409,
    'Hồ sơ chưa hết thời hạn bảo quản (hoặc bảo quản vĩnh viễn) nên chưa thể quyết định.',
    'The dossier’s retention period has not run out (or it is kept permanently), so no decision can be taken yet.',
  ],
  payload_too_large: [413, 'Tệp quá lớn.', 'The upload is too large.'],
  unsupported_media_type: [415, 'Định dạng dữ liệu không được hỗ trợ.', 'The content type is not supported.'],
  import_rejected: [
    422,
    'Tệp có dòng không hợp lệ; chưa nhập dòng nào. Sửa các dòng dưới đây rồi nhập lại.',
    'The file has invalid rows; nothing was imported. Fix the rows below and import again.',
  ],
  account_locked: [
    423,
    'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau.',
    'The account is locked after repeated failed logins. Try again later.',
  ],
  invalid_seal_image: [400, 'Ảnh con dấu không dùng được.', 'The seal image cannot be used.'],
  verification_unavailable: [
    503,
    'Chưa cấu hình tổ chức chứng thực tin cậy nên chưa kiểm tra được chữ ký.',
    'No trusted certification authority is configured, so signatures cannot be checked.',
  ],
  text_extraction_unavailable: [
    503,
    'Lúc này chưa đọc được chữ trên bản quét; hãy nhập thông tin văn bản bằng tay hoặc thử lại sau.',
    'The scan’s text cannot be read now; enter the document’s details by hand or try again later.',
  ],
  internal_error: [500, 'Lỗi hệ thống. Vui lòng thử lại.', 'Internal error. Please try again.'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorCode = keyof typeof catalogue;

export class AppError extends Error {
  readonly status: number;
  readonly userMessage: Message;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    message?: Message,
  ) {
    const [status, vi, en] = catalogue[code];
    super(message?.en ?? en);
    this.status = status;
    this.userMessage = message ?? { vi, en };
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.userMessage,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.object({ vi: z.string(), en: z.string() }),
      details: z.unknown().optional(),
    }),
  })
  .describe('Error');
export type ErrorBody = z.infer<typeof errorBodySchema>;
