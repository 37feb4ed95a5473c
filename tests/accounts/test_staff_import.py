"""Uploading a staff list: preview, every bad row reported with its line, all or nothing."""

import io

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from champion.accounts.models import Membership, Role, StaffImport, User
from tests.conftest import make_person

GOOD = (
    "name,email,unit,role,job title\n"
    "Nia New,nia@test.example,Testshire Health > North Hospital > Ward B,member,Porter\n"
    "Nia New,nia@test.example,Testshire Health > South Hospital > Ward C,coach,Porter\n"
    "Mia Member,member@test.example,Testshire Health > North Hospital > Ward A,leader,\n"
    "Sam Second,SAM@test.example, testshire health>north hospital>ward b ,Member,Clerk\n"
)


def upload(client, content, name="staff.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse("accounts:staff-upload"), {"file": SimpleUploadedFile(name, data)})


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_file_is_previewed_then_applied_all_at_once(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    response = upload(client, GOOD)
    pending = StaffImport.objects.get()
    assert response.url == reverse("accounts:staff-import", args=[pending.pk])
    preview = client.get(response.url).content.decode()
    # The preview reads as sentences (it was a table of action codes).
    assert (
        "2 new people will be added, with 3 roles: 2 in Ward B and 1 in Ward C. "
        "Each gets a welcome e-mail to choose a password."
    ) in preview
    assert "1 role will change: 1 in Ward A from member to leader." in preview
    assert "Nobody loses access" in preview
    assert not User.objects.filter(
        email="nia@test.example"
    ).exists()  # nothing saved before confirming

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:staff-import-apply", args=[pending.pk]))
    nia = User.objects.get(email="nia@test.example")
    assert nia.organisation == world.org and nia.job_title == "Porter"
    assert set(nia.memberships.values_list("unit__name", "role")) == {
        ("Ward B", "member"),
        ("Ward C", "coach"),
    }
    assert world.member.memberships.get().role == "leader"
    assert User.objects.get(email="sam@test.example").memberships.get().unit == world.ward_b
    assert sorted(m.to[0] for m in mail.outbox) == ["nia@test.example", "sam@test.example"]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved(world, client_for):
    bad = (
        "name,email,unit,role\n"
        "Good Person,good@test.example,Testshire Health > North Hospital > Ward B,member\n"  # line 2
        ",noname@test.example,Testshire Health > North Hospital > Ward B,member\n"  # 3
        "Bad Email,not-an-email,Testshire Health > North Hospital > Ward B,member\n"  # 4
        "No Unit,nounit@test.example,Testshire Health > Nowhere,member\n"  # 5
        "Bad Role,badrole@test.example,Testshire Health > North Hospital > Ward B,boss\n"  # 6
        "Good Person,good@test.example,Testshire Health > North Hospital > Ward B,leader\n"  # 7 duplicate
        "Otto,outsider@other.example,Testshire Health > North Hospital > Ward B,member\n"  # 8
        "Other Name,good@test.example,Testshire Health > South Hospital > Ward C,member\n"  # 9
    )
    response = upload(client_for(world.admin), bad)
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in page
    expected = {
        3: "The name is empty",
        4: "is not a valid e-mail address",
        5: "No unit &#x27;Testshire Health &gt; Nowhere&#x27;",
        6: "The role &#x27;boss&#x27; is not one of",
        7: "already appear on line 2",
        8: "cannot be used here",
        9: "Line 2 gives this e-mail address the name",
    }
    for line, reason in expected.items():
        assert f"<td>{line}</td>" in page and reason in page, (line, reason)
    assert "<td>2</td>" not in page
    assert not StaffImport.objects.exists()
    assert not User.objects.filter(email="good@test.example").exists()


def test_an_xlsx_staff_list_works_like_a_csv(world, client_for):
    client = client_for(world.admin)
    data = xlsx(
        [
            ["Name", "E-mail", "Unit path", "Role"],
            ["Xena Excel", "xena@test.example", "Testshire Health > South Hospital", "leader"],
        ]
    )
    response = upload(client, data, "staff.xlsx")
    client.post(reverse("accounts:staff-import-apply", args=[StaffImport.objects.get().pk]))
    assert response.status_code == 302
    assert Membership.objects.get(user__email="xena@test.example").unit == world.south


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("name,email,role\nA,a@test.example,member\n", "staff.csv", "The file has no unit column"),
        ("", "staff.csv", "file is empty"),
        (" \n \n", "staff.csv", "The file is empty"),
        ("name,email,unit,role\n", "staff.csv", "has a header but no rows"),
        ("name,email,unit,role\nA,b,c,d,e,f\n", "staff.csv", "more values than the header"),
        ("hello", "staff.pdf", "Upload a .csv or .xlsx file"),
        (b"name,email,unit,role\n\xff\xfe,a,b,c\n", "staff.csv", "not UTF-8"),
        (
            b"PK\x03\x04 not really a spreadsheet",
            "staff.xlsx",
            "could not be read as a spreadsheet",
        ),
    ],
)
def test_a_wrong_file_gets_a_clear_message(world, client_for, content, name, message):
    response = upload(client_for(world.admin), content, name)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not StaffImport.objects.exists()


def test_confirming_twice_imports_once(world, client_for):
    client = client_for(world.admin)
    upload(client, GOOD)
    pending = StaffImport.objects.get()
    client.post(reverse("accounts:staff-import-apply", args=[pending.pk]))
    response = client.post(reverse("accounts:staff-import-apply", args=[pending.pk]), follow=True)
    assert "already handled" in response.content.decode()
    assert User.objects.filter(email="nia@test.example").count() == 1
    assert Membership.objects.filter(user__email="nia@test.example").count() == 2


def test_a_list_that_no_longer_fits_is_refused_at_confirmation(world, client_for):
    client = client_for(world.admin)
    upload(client, GOOD)
    pending = StaffImport.objects.get()
    world.ward_c.delete()  # the organisation changed between preview and confirmation
    response = client.post(reverse("accounts:staff-import-apply", args=[pending.pk]), follow=True)
    assert "no longer validates" in response.content.decode()
    assert not User.objects.filter(email="nia@test.example").exists()


def test_a_hospital_admin_cannot_import_into_another_hospital(world, client_for):
    from champion.accounts.models import Role

    north_admin = User.objects.create_user(
        "na@test.example", "x", full_name="North Admin", organisation=world.org
    )
    Membership.objects.create(user=north_admin, unit=world.north, role=Role.ADMIN)
    response = upload(
        client_for(north_admin),
        "name,email,unit,role\nA,a@test.example,Testshire Health > South Hospital > Ward C,member\n",
    )
    assert "You are not an admin of" in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "leader", "coach"])
def test_only_admins_upload_staff_lists(world, client_for, persona):
    assert upload(client_for(getattr(world, persona)), GOOD).status_code == 403
    assert not StaffImport.objects.exists()


def test_another_admins_pending_import_is_invisible(world, client_for):
    upload(client_for(world.admin), GOOD)
    pending = StaffImport.objects.get()
    response = client_for(world.outsider).post(
        reverse("accounts:staff-import-apply", args=[pending.pk])
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="nia@test.example").exists()


def test_discarding_changes_nothing(world, client_for):
    client = client_for(world.admin)
    upload(client, GOOD)
    pending = StaffImport.objects.get()
    client.post(reverse("accounts:staff-import-discard", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == "discarded"
    client.post(reverse("accounts:staff-import-apply", args=[pending.pk]))
    assert not User.objects.filter(email="nia@test.example").exists()


def test_a_hospital_admin_cannot_give_a_role_to_someone_with_roles_elsewhere(world, client_for):
    north_admin = make_person("north-admin@test.example", world.org, world.north, Role.ADMIN)
    Membership.objects.create(user=world.admin, unit=world.ward_a, role=Role.MEMBER)
    rows = (
        "name,email,unit,role\n"
        "Ada Admin,admin@test.example,Testshire Health > North Hospital > Ward B,admin\n"
    )
    page = upload(client_for(north_admin), rows).content.decode()
    assert "Nothing was imported" in page and "ask an admin who covers all their units" in page
    assert not Membership.objects.filter(user=world.admin, unit=world.ward_b).exists()


def test_a_staff_list_larger_than_the_upload_limit_is_refused_unread(world, client_for, settings):
    settings.MAX_UPLOAD_MB = 1
    big = "name,email,unit,role\n" + "x" * (1024 * 1024 + 1)
    page = upload(client_for(world.admin), big).content.decode()
    assert "larger than 1 MB" in page and not StaffImport.objects.exists()


def test_an_over_long_job_title_is_refused_with_its_limit(world, client_for):
    title = "j" * 250
    response = upload(
        client_for(world.admin),
        "name,email,unit,role,job title\n"
        f"Long Title,long@test.example,Testshire Health > North Hospital > Ward B,member,{title}\n",
    )
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "The job title is 250 characters long; the most is 200." in page
    assert not User.objects.filter(email="long@test.example").exists()


def test_the_preview_says_in_sentences_who_joins_which_unit_and_who_changes_role(world, client_for):
    """Existing people getting a role in another unit keep their other roles; rows that
    change nothing are said once; long lists of units end with 'N more units'."""
    client = client_for(world.admin)
    ward_b = "Testshire Health > North Hospital > Ward B"
    ward_c = "Testshire Health > South Hospital > Ward C"
    rows = [f"New {i},new{i}@test.example,{ward_b},member" for i in range(12)]
    rows += [f"Cee {i},cee{i}@test.example,{ward_c},member" for i in range(3)]
    rows += [
        f"Mia Member,member@test.example,{ward_c},coach",  # a role in another unit
        "Mia Member,member@test.example,Testshire Health > North Hospital > Ward A,member",  # same
    ]
    response = upload(client, "name,email,unit,role\n" + "\n".join(rows) + "\n")
    page = client.get(response.url).content.decode()
    assert "15 new people will be added: 12 in Ward B and 3 in Ward C." in page
    assert "1 person already here will get a role in Ward C. Their other roles stay." in page
    assert "1 row is already so and change nothing." in page
    assert "will change:" not in page  # no role changes: not said
    assert '<th scope="col">What happens</th>' in page  # every row, still there when wanted
    assert "Becomes coach of Ward C (other roles stay)" in page


def test_bad_rows_are_grouped_by_reason_with_counts_lines_and_a_fix(world, client_for):
    ward_b = "Testshire Health > North Hospital > Ward B"
    rows = [f"P {i},p{i}@test.example,Ward 9,member" for i in range(4)]  # lines 2-5: unknown unit
    rows += [f"Q {i},q{i}@test.example,{ward_b},boss" for i in range(2)]  # lines 6-7: bad role
    rows += ["R One,not-an-email,Ward 9,member"]  # line 8: bad address and unknown unit
    page = upload(client_for(world.admin), "name,email,unit,role\n" + "\n".join(rows) + "\n")
    text = page.content.decode().replace("&#x27;", "'").replace("&gt;", ">")
    assert "Nothing was imported: 7 rows need fixing." in text
    assert "They fail for 3 reasons; the most common: 5 rows: the unit is not one of" in text
    first = text.index("5 rows: the unit is not one of this organisation's")
    second = text.index("2 rows: the role is not known")
    third = text.index("1 row: the e-mail address is not valid")
    assert first < second < third < text.index("Rows to fix, one by one")
    assert "(lines 2, 3, 4, 5, 8)" in text and "(lines 6, 7)" in text
    assert "Write the whole path from the top, separated by “>”" in text
    assert "Write member, leader, coach or admin." in text
    assert not StaffImport.objects.exists()


def test_one_unit_is_named_once_and_many_units_end_with_how_many_more(world, client_for):
    from champion.accounts.staff_import import Preview, RowResult

    def row(i, unit, action="new person", was=""):
        return RowResult(line=i, name=f"P{i}", email=f"p{i}@x.example", unit=unit, role="leader",
                         action=action, unit_name=unit, was_role=was)  # fmt: skip

    one = Preview([row(i, "Ward 7") for i in range(12)])
    assert one.sentences()[0] == (
        "12 new people will be added to Ward 7. Each gets a welcome e-mail to choose a password."
    )
    many = Preview([row(i, f"Ward {i % 7}") for i in range(14)])
    assert many.sentences()[0].startswith(
        "14 new people will be added: 2 in Ward 0, 2 in Ward 1, 2 in Ward 2, 2 in Ward 3, "
        "2 in Ward 4 and 4 in 2 more units."
    )
    changes = Preview(
        [row(1, "Ward 5", "role change (member to leader)", "member"),
         row(2, "Ward 5", "role change (member to leader)", "member"),
         row(3, "Ward 6", "role change (coach to leader)", "coach")]
    )  # fmt: skip
    assert changes.sentences()[0] == (
        "3 roles will change: 2 in Ward 5 from member to leader and 1 in Ward 6 from coach to "
        "leader."
    )
