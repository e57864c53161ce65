import json, uuid, sys
def sid(kind, key):
    return kind + "--" + str(uuid.uuid5(uuid.NAMESPACE_URL, "huntlint-fixture/" + key))
MOD18="2025-10-28T12:00:00.000Z"; MOD19="2026-04-28T12:00:00.000Z"
def obj(t, attid, name, mod, spec, domain, **kw):
    o={"type":t,"id":sid(t,attid+"/"+t),"created":"2020-01-01T00:00:00.000Z","modified":mod,"name":name,
       "external_references":[{"source_name":"mitre-attack","external_id":attid,"url":"https://attack.mitre.org/"+attid}],
       "x_mitre_domains":[domain],"x_mitre_version":"1.0"}
    if spec=="2.1": o["spec_version"]="2.1"
    if kw.pop("revoked",False): o["revoked"]=True
    if kw.pop("deprecated",False): o["x_mitre_deprecated"]=True
    o.update(kw); return o
def tech(attid,name,tactics,plats,mod,spec,domain,kc="mitre-attack",**kw):
    return obj("attack-pattern",attid,name,mod,spec,domain,kill_chain_phases=[{"kill_chain_name":kc,"phase_name":t} for t in tactics],
               x_mitre_platforms=plats,x_mitre_is_subtechnique="." in attid,description="fixture",**kw)
def rel(rt,src,dst,mod,spec):
    o={"type":"relationship","id":sid("relationship",src+rt+dst),"created":"2020-01-01T00:00:00.000Z","modified":mod,
       "relationship_type":rt,"source_ref":src,"target_ref":dst}
    if spec=="2.1": o["spec_version"]="2.1"
    return o
def build(v):
    spec = "2.0" if v==18 else "2.1"; mod = MOD18 if v==18 else MOD19; D="enterprise-attack"
    W=["Windows","Linux","macOS"]
    tactics=[("TA0001","initial-access","Initial Access"),("TA0002","execution","Execution"),("TA0003","persistence","Persistence"),
             ("TA0004","privilege-escalation","Privilege Escalation")]
    if v==18: tactics+= [("TA0005","defense-evasion","Defense Evasion")]
    else: tactics+= [("TA0005","stealth","Stealth"),("TA0112","defense-impairment","Defense Impairment")]
    tactics+= [("TA0011","command-and-control","Command and Control")]
    objs=[]; tobj={}
    for i,(tid,sn,name) in enumerate(tactics):
        o=obj("x-mitre-tactic",tid,name,mod,spec,D,x_mitre_shortname=sn,description="fixture"); objs.append(o); tobj[tid]=o
    # a deprecated tactic outside the matrix
    objs.append(obj("x-mitre-tactic","TA0099","Old Tactic",mod,spec,D,x_mitre_shortname="old-tactic",deprecated=True))
    # matrix lists tactics in a non-ID order to prove matrix order is used
    order=["TA0001","TA0002","TA0003","TA0004","TA0005"]+(["TA0112"] if v==19 else [])+["TA0011"]
    objs.append(obj("x-mitre-matrix",D,"Enterprise ATT&CK",mod,spec,D,tactic_refs=[tobj[t]["id"] for t in order]))
    de = "defense-evasion" if v==18 else "stealth"
    imp = "defense-evasion" if v==18 else "defense-impairment"
    T={}
    def add(o): objs.append(o); T[o["external_references"][0]["external_id"]+"/"+o["type"]]=o; return o
    add(tech("T1059","Command and Scripting Interpreter",["execution"],W,mod,spec,D))
    add(tech("T1059.001","PowerShell",["execution"],["Windows"],mod,spec,D))
    add(tech("T1059.003","Windows Command Shell",["execution"],["Windows"],mod,spec,D))
    add(tech("T1086","PowerShell",["execution"],["Windows"],mod,spec,D,revoked=True))
    add(obj("course-of-action","T1086","PowerShell Mitigation",mod,spec,D,deprecated=True))
    add(tech("T1150","Plist Modification",["defense-evasion","persistence","privilege-escalation"],["macOS"],mod,spec,D,revoked=True))
    add(tech("T1547","Boot or Logon Autostart Execution",["persistence","privilege-escalation"],W,mod,spec,D))
    add(tech("T1547.001","Registry Run Keys / Startup Folder",["persistence","privilege-escalation"],["Windows"],mod,spec,D))
    add(tech("T1547.011","Plist Modification",["persistence","privilege-escalation"],["macOS"],mod,spec,D,revoked=True))
    add(tech("T1647","Plist File Modification",[de],["macOS"],mod,spec,D))
    add(tech("T1562","Impair Defenses",[imp],W,mod,spec,D))
    add(tech("T1562.001","Disable or Modify Tools",[imp],W,mod,spec,D,revoked=(v==19)))
    if v==19: add(tech("T1685","Disable or Modify Tools",["defense-impairment"],W,mod,spec,D))
    add(tech("T1070","Indicator Removal on Host" if v==18 else "Indicator Removal",[de],W,mod,spec,D))
    add(tech("T1070.001","Clear Windows Event Logs",[de],["Windows"],mod,spec,D))
    add(tech("T1070.003","Clear Command History",[de],["Linux","macOS"],mod,spec,D,deprecated=(v==19)))
    add(tech("T1078","Valid Accounts",[de,"persistence","privilege-escalation","initial-access"],W,mod,spec,D))
    # moved between tactics: execution in 18, command-and-control in 19
    add(tech("T1105","Ingress Tool Transfer",["execution"] if v==18 else ["command-and-control"],W,mod,spec,D))
    if v==18: add(tech("T1064","Scripting",[de,"execution"],W,mod,spec,D,deprecated=True))
    add(tech("T1071","Application Layer Protocol",["command-and-control"],W,mod,spec,D))
    add(tech("T1071.001","Web Protocols",["command-and-control"],W,mod,spec,D))
    add(obj("course-of-action","M1038","Execution Prevention",mod,spec,D))
    add(obj("course-of-action","M1042","Disable or Remove Feature or Program",mod,spec,D))
    add(obj("intrusion-set","G0016","APT29",mod,spec,D,aliases=["APT29","Cozy Bear"]))
    add(obj("intrusion-set","G0007","APT28",mod,spec,D))
    add(obj("tool","S0002","Mimikatz",mod,spec,D))
    add(obj("malware","S0154","Cobalt Strike",mod,spec,D))
    add(obj("campaign","C0024","SolarWinds Compromise",mod,spec,D))
    add(obj("x-mitre-data-source","DS0017","Command",mod,spec,D))
    add(obj("x-mitre-data-component","DC0064","Command Execution",mod,spec,D))
    add(obj("x-mitre-detection-strategy","DET0001","Detection of PowerShell",mod,spec,D))
    add(obj("x-mitre-analytic","AN0001","PowerShell Script Block Logging",mod,spec,D))
    # an object without an ATT&CK ID is ignored
    objs.append({"type":"identity","id":sid("identity","mitre"),"name":"The MITRE Corporation","identity_class":"organization"})
    def r(rt,a,b): objs.append(rel(rt,T[a]["id"],T[b]["id"],mod,spec))
    for s in ["T1059.001","T1059.003"]: r("subtechnique-of",s+"/attack-pattern","T1059/attack-pattern")
    for s in ["T1547.001","T1547.011"]: r("subtechnique-of",s+"/attack-pattern","T1547/attack-pattern")
    for s in ["T1070.001","T1070.003"]: r("subtechnique-of",s+"/attack-pattern","T1070/attack-pattern")
    r("subtechnique-of","T1562.001/attack-pattern","T1562/attack-pattern")
    r("subtechnique-of","T1071.001/attack-pattern","T1071/attack-pattern")
    r("revoked-by","T1086/attack-pattern","T1059.001/attack-pattern")
    r("revoked-by","T1150/attack-pattern","T1547.011/attack-pattern")
    r("revoked-by","T1547.011/attack-pattern","T1647/attack-pattern")
    if v==19: r("revoked-by","T1562.001/attack-pattern","T1685/attack-pattern")
    r("mitigates","M1038/course-of-action","T1059/attack-pattern")
    r("uses","G0016/intrusion-set","T1059.001/attack-pattern")
    b={"type":"bundle","id":sid("bundle","mini-%d"%v),"objects":objs}
    if v==18: b["spec_version"]="2.0"
    else:
        objs.insert(0,{"type":"x-mitre-collection","id":sid("x-mitre-collection","mini"),"spec_version":"2.1","name":"Enterprise ATT&CK (fixture)",
            "x_mitre_version":"19.0","created":"2018-01-17T12:56:55.080Z","modified":MOD19,"x_mitre_contents":[]})
    return b
def mobile():
    D="mobile-attack"; mod=MOD18; spec="2.0"
    objs=[]
    t1=obj("x-mitre-tactic","TA0032","Discovery",mod,spec,D,x_mitre_shortname="discovery")
    t2=obj("x-mitre-tactic","TA0041","Execution",mod,spec,D,x_mitre_shortname="execution")
    objs+= [t1,t2, obj("x-mitre-matrix",D,"Mobile ATT&CK",mod,spec,D,tactic_refs=[t2["id"],t1["id"]])]
    objs.append(tech("T1426","System Information Discovery",["discovery"],["Android","iOS"],mod,spec,D,kc="mitre-mobile-attack"))
    objs.append(tech("T1623","Command and Scripting Interpreter",["execution"],["Android"],mod,spec,D,kc="mitre-mobile-attack"))
    objs.append(obj("intrusion-set","G0007","APT28",mod,spec,D))
    return {"type":"bundle","id":sid("bundle","mini-mobile"),"spec_version":"2.0","objects":objs}
def cycle():
    D="enterprise-attack"; mod=MOD18; spec="2.0"
    t=obj("x-mitre-tactic","TA0002","Execution",mod,spec,D,x_mitre_shortname="execution")
    a=tech("T1901","Cycle A",["execution"],["Windows"],mod,spec,D,revoked=True)
    b=tech("T1902","Cycle B",["execution"],["Windows"],mod,spec,D,revoked=True)
    c=tech("T1903","Dangling",["execution"],["Windows"],mod,spec,D,revoked=True)
    objs=[t,obj("x-mitre-matrix",D,"Enterprise ATT&CK",mod,spec,D,tactic_refs=[t["id"]]),a,b,c,
          rel("revoked-by",a["id"],b["id"],mod,spec),rel("revoked-by",b["id"],a["id"],mod,spec)]
    return {"type":"bundle","id":sid("bundle","cycle"),"spec_version":"2.0","objects":objs}
for name,b in [("mini-18.json",build(18)),("mini-19.json",build(19)),("mini-mobile.json",mobile()),("cycle.json",cycle())]:
    with open(name,"w") as f: json.dump(b,f,indent=1); f.write("\n")
