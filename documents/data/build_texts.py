"""Source of documents/data/texts.json (run: python documents/data/build_texts.py).

The texts of the documents handed to the client: key, document, Japanese,
やさしい日本語, and the shipped translations in LANGUAGES order.  The
translations were written by the project, not by a certified translator:
they load as *unreviewed* (documents/loading.py) until an administrator
has them checked and marks them reviewed.  Placeholders in braces
({language}) stay as they are in every language.
"""

import json
from pathlib import Path

LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ko", "vi", "pt", "es", "fil", "ne", "id", "th", "my"]

# key, document, Japanese, easy Japanese, [translations in LANGUAGES order]
TEXTS = [
    # --- common ---------------------------------------------------------------
    ("common.name", "common", "氏名", "名前", [
        "Name", "姓名", "姓名", "성명", "Họ và tên", "Nome", "Nombre", "Pangalan", "नाम", "Nama", "ชื่อ", "အမည်",
    ]),
    ("common.date", "common", "日付", "日にち", [
        "Date", "日期", "日期", "날짜", "Ngày", "Data", "Fecha", "Petsa", "मिति", "Tanggal", "วันที่", "ရက်စွဲ",
    ]),
    ("common.issued", "common", "発行日", "この 紙を 渡した 日", [
        "Date of issue", "签发日期", "簽發日期", "발행일", "Ngày cấp", "Data de emissão", "Fecha de emisión",
        "Petsa ng pagbigay", "जारी मिति", "Tanggal dikeluarkan", "วันที่ออกเอกสาร", "ထုတ်ပေးသည့်ရက်",
    ]),
    ("common.desk", "common", "相談窓口", "相談の 窓口", [
        "Consultation desk", "咨询窗口", "諮詢窗口", "상담 창구", "Quầy tư vấn", "Balcão de atendimento",
        "Ventanilla de consultas", "Konsultasyon desk", "परामर्श काउन्टर", "Loket konsultasi", "ช่องบริการให้คำปรึกษา",
        "အကြံဉာဏ်ပေးရေးကောင်တာ",
    ]),
    ("common.phone", "common", "電話番号", "電話番号", [
        "Telephone", "电话号码", "電話號碼", "전화번호", "Số điện thoại", "Telefone", "Teléfono",
        "Numero ng telepono", "फोन नम्बर", "Nomor telepon", "หมายเลขโทรศัพท์", "ဖုန်းနံပါတ်",
    ]),
    ("common.bring", "common", "持参するもの", "持って くる もの", [
        "What to bring", "请携带", "請攜帶", "지참물", "Những thứ cần mang theo", "O que levar", "Qué traer",
        "Mga dapat dalhin", "साथमा ल्याउनुपर्ने कुराहरू", "Yang perlu dibawa", "สิ่งที่ต้องนำมา", "ယူလာရမည့်အရာများ",
    ]),
    # --- what to bring ----------------------------------------------------------
    ("bring.residence_card", "common", "在留カード", "在留カード", [
        "Residence card", "在留卡", "在留卡", "재류카드", "Thẻ cư trú", "Cartão de residente (Zairyu Card)",
        "Tarjeta de residencia (Zairyu Card)", "Residence card (Zairyu Card)", "निवास कार्ड (जाइर्यु कार्ड)",
        "Kartu izin tinggal (Zairyu Card)", "บัตรผู้พำนัก (Zairyu Card)", "နေထိုင်ခွင့်ကတ် (Zairyu Card)",
    ]),
    ("bring.passport", "common", "パスポート", "パスポート", [
        "Passport", "护照", "護照", "여권", "Hộ chiếu", "Passaporte", "Pasaporte", "Pasaporte", "राहदानी (पासपोर्ट)",
        "Paspor", "หนังสือเดินทาง", "နိုင်ငံကူးလက်မှတ်",
    ]),
    ("bring.mynumber", "common", "マイナンバーカード（お持ちの方）", "マイナンバーカード（持って いる 人）", [
        "My Number Card (if you have one)", "个人编号卡（如持有）", "個人編號卡（如持有）", "마이넘버 카드 (소지자)",
        "Thẻ My Number (nếu có)", "Cartão My Number (se tiver)", "Tarjeta My Number (si la tiene)",
        "My Number Card (kung mayroon)", "माइ नम्बर कार्ड (छ भने)", "Kartu My Number (jika punya)",
        "บัตรมายนัมเบอร์ (ถ้ามี)", "My Number ကတ် (ရှိလျှင်)",
    ]),
    ("bring.insurance", "common", "健康保険の資格確認書または保険証", "健康保険の 紙（資格確認書）または 保険証", [
        "Health insurance certificate or card", "健康保险资格确认书或保险证", "健康保險資格確認書或保險證",
        "건강보험 자격확인서 또는 보험증", "Giấy xác nhận tư cách bảo hiểm y tế hoặc thẻ bảo hiểm",
        "Certificado ou cartão do seguro de saúde", "Certificado o tarjeta del seguro de salud",
        "Sertipiko o card ng health insurance", "स्वास्थ्य बीमा प्रमाणपत्र वा बीमा कार्ड",
        "Sertifikat atau kartu asuransi kesehatan", "ใบรับรองหรือบัตรประกันสุขภาพ",
        "ကျန်းမာရေးအာမခံ အထောက်အထား သို့မဟုတ် ကတ်",
    ]),
    ("bring.seal", "common", "印鑑（お持ちの方）", "はんこ（持って いる 人）", [
        "Personal seal (hanko, if you have one)", "印章（如持有）", "印章（如持有）", "도장 (소지자)",
        "Con dấu cá nhân (nếu có)", "Carimbo pessoal (hanko, se tiver)", "Sello personal (hanko, si lo tiene)",
        "Personal na selyo (hanko, kung mayroon)", "व्यक्तिगत छाप (हान्को, छ भने)", "Stempel pribadi (hanko, jika punya)",
        "ตราประทับส่วนตัว (ฮังโกะ ถ้ามี)", "ကိုယ်ပိုင်တံဆိပ် (ဟန်ကို၊ ရှိလျှင်)",
    ]),
    ("bring.letters", "common", "届いた通知や書類", "家に 届いた 手紙や 書類", [
        "Letters and documents you received", "收到的通知和文件", "收到的通知和文件", "받은 통지서나 서류",
        "Thư và giấy tờ bạn đã nhận được", "Cartas e documentos que recebeu", "Cartas y documentos que recibió",
        "Mga sulat at dokumentong natanggap mo", "तपाईंलाई आएका पत्र र कागजातहरू", "Surat dan dokumen yang Anda terima",
        "จดหมายและเอกสารที่ได้รับ", "လက်ခံရရှိထားသော စာနှင့် စာရွက်စာတမ်းများ",
    ]),
    ("bring.payslip", "common", "給与明細", "給料の 明細", [
        "Payslips", "工资单", "薪資明細", "급여명세서", "Bảng lương", "Holerites (contracheques)", "Nóminas (recibos de sueldo)",
        "Payslip", "तलब विवरण (पे स्लिप)", "Slip gaji", "สลิปเงินเดือน", "လစာစာရင်း",
    ]),
    ("bring.this_paper", "common", "この用紙", "この 紙", [
        "This paper", "本单", "本單", "이 용지", "Tờ giấy này", "Este papel", "Este papel", "Ang papel na ito",
        "यो कागज", "Kertas ini", "เอกสารฉบับนี้", "ဤစာရွက်",
    ]),
    # --- appointment slip ---------------------------------------------------------
    ("slip.title", "slip", "次回相談の予約票", "次の 相談の 予約", [
        "Your next appointment", "下次咨询预约单", "下次諮詢預約單", "다음 상담 예약표", "Phiếu hẹn tư vấn lần sau",
        "Comprovante do próximo atendimento", "Su próxima cita", "Ang susunod mong appointment",
        "अर्को परामर्शको समय", "Jadwal konsultasi berikutnya", "ใบนัดหมายการปรึกษาครั้งต่อไป",
        "နောက်တစ်ကြိမ် ချိန်းဆိုမှု",
    ]),
    ("slip.intro", "slip", "次の日時に相談窓口へお越しください。", "下の 日にちと 時間に 窓口へ 来て ください。", [
        "Please come to the consultation desk on the date and at the time below.",
        "请在以下日期和时间到咨询窗口来。", "請在以下日期和時間到諮詢窗口來。", "아래 일시에 상담 창구로 와 주십시오.",
        "Vui lòng đến quầy tư vấn vào ngày giờ dưới đây.", "Por favor, venha ao balcão de atendimento na data e hora abaixo.",
        "Por favor, venga a la ventanilla de consultas en la fecha y hora indicadas abajo.",
        "Mangyaring pumunta sa konsultasyon desk sa petsa at oras na nakasulat sa ibaba.",
        "कृपया तलको मिति र समयमा परामर्श काउन्टरमा आउनुहोस्।",
        "Silakan datang ke loket konsultasi pada tanggal dan jam di bawah ini.",
        "กรุณามาที่ช่องบริการให้คำปรึกษาตามวันและเวลาด้านล่าง",
        "အောက်ပါရက်နှင့် အချိန်တွင် အကြံဉာဏ်ပေးရေးကောင်တာသို့ လာရောက်ပါ။",
    ]),
    ("slip.time", "slip", "時間", "時間", [
        "Time", "时间", "時間", "시간", "Giờ", "Horário", "Hora", "Oras", "समय", "Jam", "เวลา", "အချိန်",
    ]),
    ("slip.place", "slip", "場所", "場所", [
        "Place", "地点", "地點", "장소", "Địa điểm", "Local", "Lugar", "Lugar", "स्थान", "Tempat", "สถานที่", "နေရာ",
    ]),
    ("slip.interpreter", "slip", "通訳", "通訳", [
        "Interpreter", "翻译", "口譯", "통역", "Phiên dịch", "Intérprete", "Intérprete", "Interpreter", "दोभाषे",
        "Penerjemah", "ล่าม", "စကားပြန်",
    ]),
    ("slip.interpreter_arranged", "slip", "{language}の通訳を手配しました。", "{language}の 通訳を 用意しました。", [
        "A {language} interpreter has been arranged.", "已安排{language}翻译。", "已安排{language}口譯。",
        "{language} 통역을 준비했습니다.", "Đã sắp xếp phiên dịch ({language}).",
        "Um intérprete de {language} foi providenciado.", "Se ha organizado un intérprete de {language}.",
        "Nakahanda na ang interpreter sa {language}.", "{language} दोभाषेको व्यवस्था गरिएको छ।",
        "Penerjemah ({language}) sudah disiapkan.", "ได้จัดเตรียมล่ามภาษา{language}ไว้แล้ว",
        "{language} စကားပြန်ကို စီစဉ်ထားပါသည်။",
    ]),
    ("slip.no_interpreter", "slip", "通訳の手配はしていません。", "通訳は 用意して いません。", [
        "No interpreter has been arranged.", "未安排翻译。", "未安排口譯。", "통역은 준비하지 않았습니다.",
        "Không có phiên dịch.", "Não foi providenciado intérprete.", "No se ha organizado intérprete.",
        "Walang nakahandang interpreter.", "दोभाषेको व्यवस्था गरिएको छैन।", "Tidak ada penerjemah yang disiapkan.",
        "ไม่ได้จัดเตรียมล่าม", "စကားပြန် စီစဉ်မထားပါ။",
    ]),
    ("slip.cannot_come", "slip", "都合が悪くなったときは、相談窓口へ電話でご連絡ください。",
     "来られない ときは、窓口に 電話して ください。", [
        "If you cannot come, please call the consultation desk.", "如果不能来，请打电话联系咨询窗口。",
        "如果不能來，請打電話聯絡諮詢窗口。", "오실 수 없게 되면 상담 창구로 전화해 주십시오.",
        "Nếu không thể đến, vui lòng gọi điện cho quầy tư vấn.",
        "Se não puder vir, por favor, telefone para o balcão de atendimento.",
        "Si no puede venir, por favor llame a la ventanilla de consultas.",
        "Kung hindi ka makakapunta, mangyaring tumawag sa konsultasyon desk.",
        "आउन नसक्ने भएमा कृपया परामर्श काउन्टरमा फोन गर्नुहोस्।",
        "Jika tidak bisa datang, silakan telepon loket konsultasi.",
        "หากไม่สามารถมาได้ กรุณาโทรแจ้งช่องบริการให้คำปรึกษา",
        "မလာနိုင်ပါက အကြံဉာဏ်ပေးရေးကောင်တာသို့ ဖုန်းဆက်ပါ။",
    ]),
    # --- referral letter -----------------------------------------------------------
    ("referral.title", "referral", "紹介状", "紹介の 手紙", [
        "Referral letter", "介绍信", "介紹信", "소개장", "Giấy giới thiệu", "Carta de encaminhamento",
        "Carta de derivación", "Referral letter", "सिफारिस पत्र", "Surat rujukan", "หนังสือแนะนำ", "လွှဲပြောင်းပေးစာ",
    ]),
    ("referral.intro", "referral", "相談者を次の機関へご紹介します。よろしくお願いいたします。",
     "あなたに 次の ところを 紹介します。", [
        "We are referring you to the organisation below.", "我们为您介绍以下机构。", "我們為您介紹以下機構。",
        "아래 기관을 소개해 드립니다.", "Chúng tôi giới thiệu bạn đến cơ quan dưới đây.",
        "Estamos encaminhando você para a organização abaixo.", "Le derivamos a la organización indicada abajo.",
        "Ire-refer ka namin sa organisasyon sa ibaba.", "हामी तपाईंलाई तलको निकायमा पठाउँदैछौं।",
        "Kami merujuk Anda ke lembaga di bawah ini.", "เราขอแนะนำให้คุณไปที่หน่วยงานด้านล่างนี้",
        "အောက်ပါအဖွဲ့အစည်းသို့ သင့်ကို လွှဲပြောင်းပေးပါသည်။",
    ]),
    ("referral.to", "referral", "紹介先", "行く ところ", [
        "Referred to", "介绍单位", "介紹單位", "소개처", "Nơi được giới thiệu", "Encaminhado para", "Derivado a",
        "Ire-refer sa", "पठाइएको निकाय", "Dirujuk ke", "หน่วยงานที่แนะนำ", "လွှဲပြောင်းသည့်နေရာ",
    ]),
    ("referral.address", "referral", "所在地", "住所", [
        "Address", "地址", "地址", "주소", "Địa chỉ", "Endereço", "Dirección", "Address", "ठेगाना", "Alamat",
        "ที่อยู่", "လိပ်စာ",
    ]),
    ("referral.hours", "referral", "受付時間", "受付の 時間", [
        "Opening hours", "受理时间", "受理時間", "접수 시간", "Giờ tiếp nhận", "Horário de atendimento",
        "Horario de atención", "Oras ng pagtanggap", "सेवा समय", "Jam layanan", "เวลาทำการ", "လက်ခံချိန်",
    ]),
    ("referral.hours_unknown", "referral", "受付時間は、行く前に電話で確認してください。",
     "行く 前に、電話で 時間を 聞いて ください。", [
        "Please call before you go to check the opening hours.", "去之前请打电话确认受理时间。",
        "去之前請打電話確認受理時間。", "가시기 전에 전화로 접수 시간을 확인해 주십시오.",
        "Vui lòng gọi điện xác nhận giờ tiếp nhận trước khi đi.",
        "Antes de ir, telefone para confirmar o horário de atendimento.",
        "Antes de ir, llame por teléfono para confirmar el horario de atención.",
        "Bago pumunta, tumawag muna para alamin ang oras ng pagtanggap.",
        "जानुअघि फोन गरेर सेवा समय सोध्नुहोस्।", "Sebelum pergi, silakan telepon untuk memastikan jam layanan.",
        "ก่อนไป กรุณาโทรสอบถามเวลาทำการ", "မသွားမီ ဖုန်းဆက်၍ လက်ခံချိန်ကို မေးမြန်းပါ။",
    ]),
    ("referral.about", "referral", "相談の内容", "相談する こと", [
        "What it is about", "咨询内容", "諮詢內容", "상담 내용", "Nội dung tư vấn", "Assunto", "Asunto",
        "Tungkol saan", "परामर्शको विषय", "Isi konsultasi", "เรื่องที่ปรึกษา", "တိုင်ပင်မည့်အကြောင်းအရာ",
    ]),
    ("referral.show_this", "referral", "この紹介状を窓口でお見せください。", "この 紙を 受付で 見せて ください。", [
        "Please show this letter at the reception.", "请在窗口出示本介绍信。", "請在窗口出示本介紹信。",
        "이 소개장을 창구에서 보여 주십시오.", "Vui lòng đưa giấy giới thiệu này tại quầy tiếp nhận.",
        "Por favor, mostre esta carta na recepção.", "Por favor, muestre esta carta en la recepción.",
        "Mangyaring ipakita ang sulat na ito sa reception.", "कृपया यो पत्र रिसेप्सनमा देखाउनुहोस्।",
        "Silakan tunjukkan surat ini di bagian penerimaan.", "กรุณาแสดงหนังสือฉบับนี้ที่ช่องรับเรื่อง",
        "ဤစာကို လက်ခံကောင်တာတွင် ပြပါ။",
    ]),
    ("referral.purpose.immigration", "referral", "在留資格・在留手続についての相談", "ビザ（在留資格）の 手続きの 相談", [
        "Residence status and immigration procedures", "关于在留资格和在留手续的咨询", "關於在留資格和在留手續的諮詢",
        "재류자격·재류 절차에 관한 상담", "Tư vấn về tư cách lưu trú và thủ tục lưu trú",
        "Status de residência e trâmites de imigração", "Estatus de residencia y trámites migratorios",
        "Residence status at mga proseso sa imigrasyon", "आवासीय हैसियत (भिसा) र अध्यागमन प्रक्रिया",
        "Status izin tinggal dan prosedur imigrasi", "สถานภาพการพำนักและขั้นตอนด้านตรวจคนเข้าเมือง",
        "နေထိုင်ခွင့်အဆင့်အတန်းနှင့် လူဝင်မှုကြီးကြပ်ရေး လုပ်ထုံးလုပ်နည်း",
    ]),
    ("referral.purpose.employment", "referral", "仕事探し・雇用保険についての相談", "仕事を 探す こと、雇用保険の 相談", [
        "Finding work and unemployment insurance", "关于找工作和雇用保险的咨询", "關於找工作和僱用保險的諮詢",
        "구직·고용보험에 관한 상담", "Tư vấn tìm việc làm và bảo hiểm thất nghiệp",
        "Procura de emprego e seguro-desemprego", "Búsqueda de empleo y seguro de desempleo",
        "Paghahanap ng trabaho at unemployment insurance", "काम खोज्ने र रोजगार बीमा सम्बन्धी परामर्श",
        "Mencari pekerjaan dan asuransi ketenagakerjaan", "การหางานและประกันการจ้างงาน",
        "အလုပ်ရှာဖွေခြင်းနှင့် အလုပ်လက်မဲ့အာမခံ",
    ]),
    ("referral.purpose.labour", "referral", "賃金・労働時間など労働条件についての相談",
     "給料や 働く 時間など、仕事の 問題の 相談", [
        "Wages, working hours and other working conditions", "关于工资、工作时间等劳动条件的咨询",
        "關於工資、工作時間等勞動條件的諮詢", "임금·근로시간 등 근로조건에 관한 상담",
        "Tư vấn về tiền lương, giờ làm việc và điều kiện lao động",
        "Salário, jornada de trabalho e outras condições de trabalho",
        "Salario, horario laboral y otras condiciones de trabajo",
        "Sahod, oras ng trabaho at iba pang kondisyon sa trabaho", "तलब, कामको समय र अन्य काम सम्बन्धी सर्तहरू",
        "Upah, jam kerja, dan kondisi kerja lainnya", "ค่าจ้าง ชั่วโมงทำงาน และสภาพการจ้างงานอื่น ๆ",
        "လုပ်ခလစာ၊ အလုပ်ချိန်နှင့် အခြားအလုပ်အခြေအနေများ",
    ]),
    ("referral.purpose.legal", "referral", "法律問題についての相談", "法律の 問題の 相談", [
        "A legal problem", "关于法律问题的咨询", "關於法律問題的諮詢", "법률 문제에 관한 상담", "Tư vấn về vấn đề pháp lý",
        "Um problema jurídico", "Un problema legal", "Isang legal na problema", "कानुनी समस्या सम्बन्धी परामर्श",
        "Masalah hukum", "ปัญหาทางกฎหมาย", "ဥပဒေဆိုင်ရာ ပြဿနာ",
    ]),
    ("referral.purpose.welfare", "referral", "生活・福祉についての相談", "生活の 困りごとの 相談", [
        "Daily life and welfare", "关于生活和福利的咨询", "關於生活和福利的諮詢", "생활·복지에 관한 상담",
        "Tư vấn về đời sống và phúc lợi", "Vida cotidiana e assistência social", "Vida diaria y bienestar social",
        "Pang-araw-araw na buhay at welfare", "दैनिक जीवन र सामाजिक कल्याण", "Kehidupan sehari-hari dan kesejahteraan",
        "การดำเนินชีวิตและสวัสดิการ", "နေ့စဉ်ဘဝနှင့် လူမှုဖူလုံရေး",
    ]),
    ("referral.purpose.child", "referral", "子どもについての相談", "子どもの ことの 相談", [
        "Your child", "关于孩子的咨询", "關於孩子的諮詢", "자녀에 관한 상담", "Tư vấn về con cái", "Seu filho ou filha",
        "Su hijo o hija", "Tungkol sa iyong anak", "बालबालिका सम्बन्धी परामर्श", "Tentang anak Anda",
        "เรื่องเกี่ยวกับบุตร", "ကလေးနှင့်ပတ်သက်သော အကြောင်းအရာ",
    ]),
    ("referral.purpose.dv", "referral", "配偶者などからの暴力についての相談", "夫や 妻などからの 暴力の 相談", [
        "Violence by a spouse or partner", "关于来自配偶等的暴力的咨询", "關於來自配偶等的暴力的諮詢",
        "배우자 등으로부터의 폭력에 관한 상담", "Tư vấn về bạo lực từ vợ/chồng hoặc người yêu",
        "Violência praticada por cônjuge ou parceiro", "Violencia por parte del cónyuge o la pareja",
        "Karahasan mula sa asawa o partner", "श्रीमान्/श्रीमती वा साथीबाट हुने हिंसा",
        "Kekerasan oleh pasangan", "ความรุนแรงจากคู่สมรสหรือคู่ครอง", "ခင်ပွန်း၊ ဇနီး သို့မဟုတ် ချစ်သူထံမှ အကြမ်းဖက်မှု",
    ]),
    ("referral.purpose.international", "referral", "生活情報・日本語学習などについての相談",
     "生活の 情報や 日本語の 勉強の 相談", [
        "Information for daily life and learning Japanese", "关于生活信息和学习日语等的咨询",
        "關於生活資訊和學習日語等的諮詢", "생활 정보·일본어 학습 등에 관한 상담",
        "Tư vấn về thông tin đời sống và học tiếng Nhật", "Informações do dia a dia e aprendizado de japonês",
        "Información para la vida diaria y aprendizaje de japonés",
        "Impormasyon sa pang-araw-araw na buhay at pag-aaral ng Japanese", "दैनिक जीवनको जानकारी र जापानी भाषा सिकाइ",
        "Informasi kehidupan sehari-hari dan belajar bahasa Jepang", "ข้อมูลการใช้ชีวิตและการเรียนภาษาญี่ปุ่น",
        "နေ့စဉ်ဘဝဆိုင်ရာ သတင်းအချက်အလက်နှင့် ဂျပန်ဘာသာ သင်ယူခြင်း",
    ]),
    ("referral.purpose.other", "referral", "手続きについての相談", "手続きの 相談", [
        "An administrative procedure", "关于手续的咨询", "關於手續的諮詢", "절차에 관한 상담", "Tư vấn về thủ tục",
        "Um trâmite administrativo", "Un trámite administrativo", "Isang proseso o papeles", "प्रशासनिक प्रक्रिया",
        "Prosedur administrasi", "ขั้นตอนการดำเนินเรื่อง", "စီမံခန့်ခွဲရေးဆိုင်ရာ လုပ်ထုံးလုပ်နည်း",
    ]),
    # --- consent explanation ----------------------------------------------------------
    ("consent.title", "consent", "個人情報の提供に関する同意について", "あなたの 情報を ほかの ところに 伝える ことに ついて", [
        "Consent to share your personal information", "关于同意提供个人信息", "關於同意提供個人資訊",
        "개인정보 제공에 관한 동의", "Về việc đồng ý cung cấp thông tin cá nhân",
        "Consentimento para compartilhar suas informações pessoais",
        "Consentimiento para compartir sus datos personales", "Pahintulot na ibahagi ang iyong personal na impormasyon",
        "व्यक्तिगत जानकारी साझा गर्ने सहमति", "Persetujuan pemberian informasi pribadi",
        "การยินยอมให้เปิดเผยข้อมูลส่วนบุคคล", "ကိုယ်ရေးအချက်အလက် မျှဝေရန် သဘောတူညီချက်",
    ]),
    ("consent.intro", "consent",
     "相談に適切に対応するため、相談窓口は、あなたの同意を得て、あなたの個人情報を下記の提供先に提供することがあります。",
     "窓口は、あなたの 相談を 進めるために、あなたが「いいです」と 言ったら、あなたの 情報を 下の ところに 伝える ことが あります。", [
        "To help with your consultation, the desk may, with your consent, give your personal information to the "
        "organisations listed below.",
        "为妥善处理您的咨询，咨询窗口在征得您同意后，可能会将您的个人信息提供给以下单位。",
        "為妥善處理您的諮詢，諮詢窗口在徵得您同意後，可能會將您的個人資訊提供給以下單位。",
        "상담에 적절히 대응하기 위해, 상담 창구는 귀하의 동의를 얻어 귀하의 개인정보를 아래 제공처에 제공할 수 있습니다.",
        "Để hỗ trợ việc tư vấn, quầy tư vấn có thể cung cấp thông tin cá nhân của bạn cho các nơi dưới đây nếu bạn đồng ý.",
        "Para ajudar no seu atendimento, o balcão pode, com o seu consentimento, fornecer suas informações pessoais "
        "às organizações abaixo.",
        "Para atender bien su consulta, la ventanilla puede, con su consentimiento, facilitar sus datos personales a "
        "las organizaciones indicadas abajo.",
        "Para matulungan ka sa iyong konsultasyon, maaaring ibigay ng desk ang iyong personal na impormasyon sa mga "
        "organisasyon sa ibaba, kung papayag ka.",
        "तपाईंको परामर्शमा सहयोग गर्न, तपाईंको सहमतिमा परामर्श काउन्टरले तपाईंको व्यक्तिगत जानकारी तल उल्लेखित निकायहरूलाई दिन सक्छ।",
        "Untuk menangani konsultasi Anda, loket konsultasi dapat memberikan informasi pribadi Anda kepada lembaga di "
        "bawah ini dengan persetujuan Anda.",
        "เพื่อช่วยเหลือในการปรึกษาของคุณ ช่องบริการอาจส่งข้อมูลส่วนบุคคลของคุณให้หน่วยงานด้านล่าง เมื่อได้รับความยินยอมจากคุณ",
        "သင့်တိုင်ပင်မှုကို ကူညီရန် သင်သဘောတူလျှင် ကောင်တာမှ သင့်ကိုယ်ရေးအချက်အလက်ကို အောက်ပါအဖွဲ့အစည်းများထံ ပေးနိုင်ပါသည်။",
    ]),
    ("consent.data", "consent", "提供する情報：氏名、連絡先、在留資格、相談の内容など",
     "伝える 情報：名前、電話番号や 住所、在留資格、相談の 内容 など", [
        "Information shared: your name, contact details, residence status, what you consulted about, etc.",
        "提供的信息：姓名、联系方式、在留资格、咨询内容等",
        "提供的資訊：姓名、聯絡方式、在留資格、諮詢內容等",
        "제공하는 정보: 성명, 연락처, 재류자격, 상담 내용 등",
        "Thông tin được cung cấp: họ tên, thông tin liên lạc, tư cách lưu trú, nội dung tư vấn, v.v.",
        "Informações compartilhadas: nome, contato, status de residência, assunto do atendimento etc.",
        "Datos que se facilitan: nombre, datos de contacto, estatus de residencia, asunto de la consulta, etc.",
        "Impormasyong ibabahagi: pangalan, contact details, residence status, paksa ng konsultasyon, atbp.",
        "दिइने जानकारी: नाम, सम्पर्क विवरण, आवासीय हैसियत, परामर्शको विषय आदि",
        "Informasi yang diberikan: nama, kontak, status izin tinggal, isi konsultasi, dan lain-lain",
        "ข้อมูลที่ส่งให้: ชื่อ ข้อมูลติดต่อ สถานภาพการพำนัก เรื่องที่ปรึกษา ฯลฯ",
        "ပေးမည့်အချက်အလက်- အမည်၊ ဆက်သွယ်ရန်အချက်အလက်၊ နေထိုင်ခွင့်အဆင့်အတန်း၊ တိုင်ပင်သည့်အကြောင်းအရာ စသည်",
    ]),
    ("consent.recipients", "consent", "提供先", "伝える ところ", [
        "Given to", "提供对象", "提供對象", "제공처", "Nơi nhận thông tin", "Destinatários", "Destinatarios",
        "Ibibigay sa", "जानकारी पाउने निकाय", "Penerima informasi", "ผู้รับข้อมูล", "အချက်အလက်လက်ခံမည့်သူ",
    ]),
    ("consent.purpose", "consent", "提供した情報は、あなたの相談に対応する目的にのみ使用します。",
     "情報は、あなたの 相談の ためだけに 使います。", [
        "The information is used only to help with your consultation.", "所提供的信息仅用于处理您的咨询。",
        "所提供的資訊僅用於處理您的諮詢。", "제공된 정보는 귀하의 상담에 대응하는 목적으로만 사용합니다.",
        "Thông tin chỉ được sử dụng cho việc tư vấn của bạn.",
        "As informações serão usadas somente para o seu atendimento.",
        "Los datos se usan solo para atender su consulta.",
        "Gagamitin lamang ang impormasyon para sa iyong konsultasyon.",
        "जानकारी तपाईंको परामर्शका लागि मात्र प्रयोग गरिन्छ।",
        "Informasi hanya digunakan untuk menangani konsultasi Anda.",
        "ข้อมูลจะใช้เพื่อการปรึกษาของคุณเท่านั้น",
        "အချက်အလက်ကို သင့်တိုင်ပင်မှုအတွက်သာ အသုံးပြုပါမည်။",
    ]),
    ("consent.voluntary", "consent", "同意しない場合でも、相談を受けることができます。",
     "「いいえ」と 言っても、相談は できます。", [
        "If you do not consent, you can still receive consultation.", "即使不同意，也可以接受咨询。",
        "即使不同意，也可以接受諮詢。", "동의하지 않더라도 상담을 받을 수 있습니다.",
        "Dù bạn không đồng ý, bạn vẫn có thể được tư vấn.",
        "Mesmo que não consinta, você continua podendo ser atendido.",
        "Aunque no dé su consentimiento, puede seguir recibiendo atención.",
        "Kahit hindi ka pumayag, maaari ka pa ring magpakonsulta.",
        "सहमति नदिए पनि तपाईंले परामर्श पाउन सक्नुहुन्छ।",
        "Meskipun tidak setuju, Anda tetap dapat berkonsultasi.",
        "แม้ไม่ยินยอม คุณก็ยังรับคำปรึกษาได้",
        "သဘောမတူလျှင်လည်း အကြံဉာဏ် ရယူနိုင်ပါသည်။",
    ]),
    ("consent.withdraw", "consent", "同意は、いつでも撤回できます。相談窓口にお申し出ください。",
     "あとで「やめたい」と 思ったら、いつでも やめられます。窓口に 言って ください。", [
        "You can withdraw your consent at any time. Please tell the consultation desk.",
        "您可以随时撤回同意。请告知咨询窗口。", "您可以隨時撤回同意。請告知諮詢窗口。",
        "동의는 언제든지 철회할 수 있습니다. 상담 창구에 말씀해 주십시오.",
        "Bạn có thể rút lại sự đồng ý bất cứ lúc nào. Vui lòng báo cho quầy tư vấn.",
        "Você pode retirar o consentimento a qualquer momento. Avise o balcão de atendimento.",
        "Puede retirar su consentimiento en cualquier momento. Dígalo en la ventanilla de consultas.",
        "Maaari mong bawiin ang iyong pahintulot anumang oras. Sabihin lamang sa konsultasyon desk.",
        "तपाईं जुनसुकै बेला सहमति फिर्ता लिन सक्नुहुन्छ। परामर्श काउन्टरमा भन्नुहोस्।",
        "Anda dapat menarik persetujuan kapan saja. Silakan sampaikan ke loket konsultasi.",
        "คุณสามารถเพิกถอนความยินยอมได้ทุกเมื่อ กรุณาแจ้งช่องบริการให้คำปรึกษา",
        "သဘောတူညီချက်ကို အချိန်မရွေး ပြန်ရုပ်သိမ်းနိုင်ပါသည်။ ကောင်တာသို့ ပြောပါ။",
    ]),
    ("consent.agree", "consent", "上記の説明を受け、内容を理解したうえで同意します。",
     "上の 説明を 聞いて、わかりました。「いいです」と 言います。", [
        "I have received the explanation above, understand it and consent.",
        "我已听取上述说明，理解其内容并表示同意。", "我已聽取上述說明，理解其內容並表示同意。",
        "위 설명을 듣고 내용을 이해하였으며 동의합니다.",
        "Tôi đã nghe giải thích ở trên, hiểu nội dung và đồng ý.",
        "Recebi a explicação acima, entendi o conteúdo e dou meu consentimento.",
        "He recibido la explicación anterior, la entiendo y doy mi consentimiento.",
        "Natanggap ko ang paliwanag sa itaas, naintindihan ko ito at pumapayag ako.",
        "माथिको व्याख्या सुनेर र बुझेर म सहमति दिन्छु।",
        "Saya telah menerima penjelasan di atas, memahaminya, dan menyetujuinya.",
        "ข้าพเจ้าได้รับคำอธิบายข้างต้น เข้าใจเนื้อหา และยินยอม",
        "အထက်ပါရှင်းလင်းချက်ကို နားထောင်ပြီး နားလည်သဖြင့် သဘောတူပါသည်။",
    ]),
    ("consent.signature", "consent", "署名", "サイン（名前を 書く）", [
        "Signature", "签名", "簽名", "서명", "Chữ ký", "Assinatura", "Firma", "Lagda", "हस्ताक्षर", "Tanda tangan",
        "ลายมือชื่อ", "လက်မှတ်",
    ]),
    # --- language card ------------------------------------------------------------------
    ("card.point", "card", "あなたの言葉を指さしてください", "あなたの 言葉を 指で さして ください", [
        "Point at your language", "请指出您的语言", "請指出您的語言", "당신의 언어를 가리켜 주세요",
        "Hãy chỉ vào ngôn ngữ của bạn", "Aponte para o seu idioma", "Señale su idioma", "Ituro ang iyong wika",
        "आफ्नो भाषामा औंला देखाउनुहोस्", "Tunjuk bahasa Anda", "กรุณาชี้ภาษาของคุณ", "သင့်ဘာသာစကားကို လက်ညှိုးထိုးပြပါ",
    ]),
]

# Shown with the fallback (やさしい日本語 + English): English only besides Japanese.
NOTICES = [
    ("notice.unreviewed", "common", "{language}の翻訳はまだ確認されていないため、この書類はやさしい日本語と英語で書いています。",
     "{language}の 翻訳は まだ チェックして いません。だから、この 紙は やさしい 日本語と 英語で 書いて あります。",
     "The {language} translation has not been checked yet, so this document is in easy Japanese and English."),
    ("notice.missing", "common", "{language}の翻訳がないため、この書類はやさしい日本語と英語で書いています。",
     "{language}の 翻訳は まだ ありません。だから、この 紙は やさしい 日本語と 英語で 書いて あります。",
     "There is no {language} translation yet, so this document is in easy Japanese and English."),
]


def build() -> list[dict]:
    rows = []
    for order, (key, document, japanese, easy, translations) in enumerate(TEXTS):
        assert len(translations) == len(LANGUAGES), key
        rows.append(
            {
                "key": key,
                "document": document,
                "japanese": japanese,
                "easy_japanese": easy,
                "sort_order": order * 10,
                "translations": dict(zip(LANGUAGES, translations, strict=True)),
            }
        )
    for order, (key, document, japanese, easy, english) in enumerate(NOTICES, start=len(TEXTS)):
        rows.append(
            {
                "key": key,
                "document": document,
                "japanese": japanese,
                "easy_japanese": easy,
                "sort_order": order * 10,
                "translations": {"en": english},
            }
        )
    return rows


if __name__ == "__main__":
    target = Path(__file__).with_name("texts.json")
    target.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")
